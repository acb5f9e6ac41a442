using System.CommandLine;
using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Data.Import;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec dataset stats|download|import</c>: options and output only; the work is in SeqRec.Data.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var command = new Command("dataset", "Inspect, download and import datasets (RecBole atomic files).");
        command.Subcommands.Add(Stats());
        command.Subcommands.Add(Download());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Command Stats()
    {
        var name = new Argument<string>("name") { Description = "Dataset name: the folder and file base name, e.g. ml-100k." };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON." };
        var dataPath = CommonOptions.DataPath();
        var command = new Command("stats", "Users and items (both including padding), interactions, and train/valid/test sample counts.");
        command.Arguments.Add(name);
        command.Options.Add(json);
        command.Options.Add(dataPath);
        command.SetAction(parseResult =>
        {
            var config = new DataConfig { Dataset = parseResult.GetValue(name)! };
            var folder = parseResult.GetValue(dataPath) ?? DatasetLocation.DataFolder(config);
            var clock = Stopwatch.StartNew();
            var stats = DatasetStatistics.Of(SequentialDatasetLoader.Load(config, folder));
            clock.Stop();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(stats.ToJson());
                return 0;
            }
            var table = new Table().AddColumn("").AddColumn(new TableColumn("count").RightAligned());
            table.Title = new TableTitle(Markup.Escape(stats.Dataset));
            table.AddRow("users (incl. padding)", stats.Users.ToString("N0"));
            table.AddRow("items (incl. padding)", stats.Items.ToString("N0"));
            table.AddRow("interactions", stats.Interactions.ToString("N0"));
            table.AddRow("train samples", stats.TrainSamples.ToString("N0"));
            table.AddRow("valid samples", stats.ValidSamples.ToString("N0"));
            table.AddRow("test samples", stats.TestSamples.ToString("N0"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[grey]loaded and prepared in {clock.Elapsed.TotalMilliseconds:F0} ms[/]");
            return 0;
        });
        return command;
    }

    private static Command Download()
    {
        var known = string.Join(", ", MovieLensRelease.All.Select(r => r.Name));
        var name = new Argument<string>("name") { Description = $"Dataset to fetch; supported: {known}." };
        var url = new Option<string?>("--url") { Description = "Where to fetch the zip (default: GroupLens' address of the dataset)." };
        var output = CommonOptions.DataPath("--out");
        var command = new Command("download", $"Download a MovieLens dataset ({known}) from GroupLens and convert it to atomic files.");
        command.Arguments.Add(name);
        command.Options.Add(url);
        command.Options.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dataset = parseResult.GetValue(name)!;
            var release = MovieLensRelease.Find(dataset) ?? throw new SeqRecException($"cannot download '{dataset}'; supported: {known}");
            var source = parseResult.GetValue(url) is { } text ? DownloadAddress(text) : release.Url;
            var folder = parseResult.GetValue(output) ?? DatasetLocation.DataFolder(new DataConfig());
            DownloadResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"{release.Name} from {Markup.Escape(source.Host)}", maxValue: 1);
                    var progress = new Progress<DownloadProgress>(p =>
                    {
                        if (p.TotalBytes is { } total) task.MaxValue = total;
                        else task.IsIndeterminate = true;
                        task.Value = p.BytesReceived;
                    });
                    result = await MovieLensDownload.FetchAsync(release, source, folder, progress, cancellationToken: cancellationToken);
                    task.Value = task.MaxValue;
                });
            Console.WriteLine($"wrote {result!.InterPath} ({result.Interactions:N0} interactions)");
            foreach (var features in new[] { result.ItemPath, result.UserPath }.OfType<string>()) Console.WriteLine($"wrote {features}");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var csv = new Option<string>("--csv") { Description = "CSV file with a header row.", Required = true };
        var user = new Option<string>("--user") { Description = "Column holding the user id.", Required = true };
        var item = new Option<string>("--item") { Description = "Column holding the item id.", Required = true };
        var time = new Option<string>("--time") { Description = "Column holding the timestamp (a number, or a date such as 2021-03-04T12:00:00Z).", Required = true };
        var rating = new Option<string?>("--rating") { Description = "Column holding the rating (optional)." };
        var datasetName = new Option<string>("--name") { Description = "Name of the new dataset (folder and file base name).", Required = true };
        var output = CommonOptions.DataPath("--out");
        var delimiter = new Option<string>("--delimiter") { Description = "CSV field delimiter, one character; \\t for tab.", DefaultValueFactory = _ => "," };
        var command = new Command("import", "Convert a CSV of interactions into RecBole atomic files.");
        foreach (var option in new Option[] { csv, user, item, time, rating, datasetName, output, delimiter }) command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var delimiterText = parseResult.GetValue(delimiter)!;
            var delimiterChar = delimiterText == "\\t" ? '\t' : delimiterText.Length == 1 ? delimiterText[0]
                : throw new SeqRecException($"--delimiter '{delimiterText}' is not one character");
            var options = new CsvImportOptions(
                parseResult.GetValue(csv)!, parseResult.GetValue(user)!, parseResult.GetValue(item)!, parseResult.GetValue(time)!,
                parseResult.GetValue(datasetName)!, parseResult.GetValue(output) ?? DatasetLocation.DataFolder(new DataConfig()))
            {
                RatingColumn = parseResult.GetValue(rating),
                Delimiter = delimiterChar,
            };
            var result = CsvImport.Run(options);
            Console.WriteLine($"wrote {result.InterPath} ({result.Interactions:N0} interactions)");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// An https address (plain http only to this machine, e.g. a local mirror or a test server): a download over plain
    /// http could be altered on the way, and file:// and other schemes are not downloads.
    /// </summary>
    internal static Uri DownloadAddress(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address))
            throw new SeqRecException($"--url '{text}' is not an absolute URL");
        if (address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback)) return address;
        throw new SeqRecException(address.Scheme == Uri.UriSchemeHttp
            ? $"--url '{text}': plain http is accepted only for this machine (localhost); use https"
            : $"--url '{text}': expected an https address, not {address.Scheme}:");
    }
}

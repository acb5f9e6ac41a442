using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Cli.Bench;
using SeqRec.Runs;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec bench</c>: <c>compare</c> (LightSANs vs SASRec as sequences grow), <c>layers</c>, and the internal <c>point</c>.</summary>
internal static class BenchCommand
{
    public static Command Create(ModelHost host)
    {
        var command = new Command("bench", "Benchmarks: 'compare' trains models at several sequence lengths, 'zoo' every registered model on one dataset, each in its own process; 'layers' times one encoder step.");
        command.Subcommands.Add(Compare(host));
        command.Subcommands.Add(BenchLayersCommand.Create(host));
        command.Subcommands.Add(BenchZooCommand.Create(host));
        command.Subcommands.Add(Point(host));
        command.Subcommands.Add(Step(host));
        command.Subcommands.Add(Report());
        return command;
    }

    private static Command Step(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var steps = new Option<int>("--steps") { Description = "Measured training steps (after one warm-up step).", DefaultValueFactory = _ => 5 };
        var command = new Command("step", "Profile training steps on real data: where the time goes (data, forward, loss, backward, optimizer).");
        options.AddTo(command);
        command.Options.Add(steps);
        command.SetAction(parse =>
        {
            var console = ConsoleFor.Output(parse);
            console.WriteLine(AllocatorRelauncher.Describe());
            var config = options.Resolve(parse);
            using var experiment = Experiment.Prepare(config, parse.InvocationConfiguration.Output);
            var count = Math.Max(1, parse.GetValue(steps));
            var batches = experiment.CreateTrainingData().TrainBatches(0).Take(count + 1);
            var profile = SeqRec.Training.TrainingStepProfiler.Profile(experiment.Model, config.Trainer, batches, warmupSteps: 1);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{config.Model.DisplayName} on {experiment.Dataset.Name}, batch {config.Trainer.TrainBatchSize}, L={config.Data.MaxItemListLength}, torch threads {TorchSharp.torch.get_num_threads()}"));
            console.WriteLine(profile.ToString());
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS {ProcessMemory.PeakResident() / 1e9:F2} GB"));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Compare(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var models = new Option<string?>("--models") { Description = "Comma-separated model ids (default: every registered model)." };
        var baseline = BaselineOption();
        var lengths = new Option<string>("--max-len") { Description = "Comma-separated max sequence lengths.", DefaultValueFactory = _ => "50,100,200,400" };
        var epochs = new Option<int>("--epochs") { Description = "Measured training epochs per point (after one warm-up epoch).", DefaultValueFactory = _ => 3 };
        var full = new Option<bool>("--full") { Description = "Also train each point to early stopping and report its test metrics." };
        var steps = new Option<int>("--steps") { Description = "Time this many training steps per point (after two warm-up steps) instead of whole epochs (epoch time = mean step × batches per epoch); for long sequences.", DefaultValueFactory = _ => 0 };
        var quick = new Option<bool>("--quick") { Description = "Smoke test: tiny synthetic data, one epoch, lengths 10,20." };
        var output = new Option<string?>("--out") { Description = "Output folder (default bench/<timestamp>)." };
        var command = new Command("compare", "Compare models' training time, memory, evaluation time, latency and (with --full) quality across sequence lengths.");
        options.AddTo(command);
        foreach (var option in new Option[] { models, baseline, lengths, epochs, steps, full, quick, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var console = ConsoleFor.Output(parse);
            var isQuick = parse.GetValue(quick);
            var modelIds = parse.GetValue(models) is { } list ? ParseList(list) : [.. host.Registry.All.Select(m => m.Id)];
            foreach (var id in modelIds) host.Registry.Get(id);
            var baselineId = CheckBaseline(parse.GetValue(baseline), modelIds);
            var folder = parse.GetValue(output) ?? Path.Combine("bench", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var baseRequest = options.Request(parse);
            string? dataPath = null;
            var sets = baseRequest.Sets.ToList();
            var dataset = baseRequest.Dataset ?? "ml-100k";
            if (isQuick)
            {
                dataPath = Path.GetFullPath(Path.Combine(folder, "data"));
                dataset = "synthetic";
                SyntheticDataset.Write(dataPath, dataset, users: 120, items: 80, interactionsPerUser: 25, seed: 7);
                sets.InsertRange(0, ["trainer.train_batch_size=256", "eval.eval_batch_size=256"]);
            }
            var request = new CompareRequest(
                modelIds,
                dataset,
                isQuick && parse.GetResult(lengths) is not { Implicit: false } ? [10, 20] : ParseList(parse.GetValue(lengths)!).Select(l => ParsePositive(l, "--max-len")).ToList(),
                isQuick ? 1 : Math.Max(1, parse.GetValue(epochs)),
                Math.Max(0, parse.GetValue(steps)),
                parse.GetValue(full),
                baseRequest.Files,
                sets,
                Path.GetFullPath(folder),
                dataPath,
                [.. host.PluginArguments]);
            console.WriteLine(AllocatorRelauncher.Describe());
            var points = new CompareRunner(request, parse.InvocationConfiguration.Output).Run();

            WriteOutputs(parse, folder, points, MachineInfo.Current().MeasuredBy(points), CommandLine(parse), baselineId);
            return points.Any(p => p.Error is not null) ? CliApp.Failure : CliApp.Ok;
        });
        return command;
    }

    /// <summary>results.json, the plots and report.md of a comparison, in <paramref name="folder"/>.</summary>
    private static void WriteOutputs(ParseResult parse, string folder, IReadOnlyList<BenchPoint> points, MachineInfo machine, string commandLine, string? baseline)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"),
            JsonSerializer.Serialize(new { machine, command = commandLine, baseline, points }, SeqRecJson.Files));
        IReadOnlyList<string> plots = [];
        try
        {
            plots = ComparePlots.Write(points, folder);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"warning: plots skipped, the plotting library could not load its native parts ({e.Message}); on Debian: apt-get install libfontconfig1");
        }
        var report = CompareReport.Write(points, machine, commandLine, plots, baseline);
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), report);
        parse.InvocationConfiguration.Output.Write(report);
        ConsoleFor.Output(parse).WriteLine($"report: {Path.Combine(folder, "report.md")}");
    }

    /// <summary>
    /// <c>bench report</c>: one report from the results.json of several <c>bench compare</c> runs (e.g. whole epochs at
    /// L=50 and timed steps at longer L). A later file's point replaces an earlier one for the same model and length.
    /// </summary>
    private static Command Report()
    {
        var from = new Option<string[]>("--from") { Description = "A bench compare output folder (or its results.json); repeat, later ones win.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Output folder for the merged results.json, report.md and plots.", Required = true };
        var baseline = BaselineOption();
        var command = new Command("report", "Merge the results of several 'bench compare' runs into one report with plots.");
        command.Options.Add(from);
        command.Options.Add(output);
        command.Options.Add(baseline);
        command.SetAction(parse =>
        {
            var merged = new Dictionary<(string, int), BenchPoint>();
            MachineInfo? machine = null;
            var commands = new List<string>();
            string? storedBaseline = null;
            foreach (var source in parse.GetValue(from)!)
            {
                var path = Directory.Exists(source) ? Path.Combine(source, "results.json") : source;
                var (sourceMachine, sourceCommand, sourceBaseline, points) = ReadResults(path);
                machine ??= sourceMachine;
                storedBaseline ??= sourceBaseline;
                commands.Add(sourceCommand);
                foreach (var point in points) merged[(point.Model, point.MaxLength)] = point;
            }
            var ordered = merged.Values.OrderBy(p => p.MaxLength).ThenBy(p => p.Model, StringComparer.Ordinal).ToList();
            var baselineId = CheckBaseline(parse.GetValue(baseline) ?? storedBaseline, [.. ordered.Select(p => p.Model).Distinct()]);
            WriteOutputs(parse, parse.GetValue(output)!, ordered, machine!, string.Join("` + `", commands), baselineId);
            return ordered.Any(p => p.Error is not null) ? CliApp.Failure : CliApp.Ok;
        });
        return command;
    }

    private static Option<string?> BaselineOption() =>
        new("--baseline") { Description = "A model of the comparison to give every other model's ratio against (e.g. sasrec)." };

    private static string? CheckBaseline(string? baseline, IReadOnlyList<string> models) =>
        baseline is null || models.Contains(baseline, StringComparer.OrdinalIgnoreCase)
            ? models.FirstOrDefault(m => string.Equals(m, baseline, StringComparison.OrdinalIgnoreCase))
            : throw new SeqRecException($"--baseline: '{baseline}' is not one of the compared models ({string.Join(", ", models)})");

    private static (MachineInfo Machine, string Command, string? Baseline, IReadOnlyList<BenchPoint> Points) ReadResults(string path)
    {
        if (!File.Exists(path)) throw new SeqRecException($"{path}: not found; expected a 'seqrec bench compare' output folder or its results.json");
        try
        {
            var results = JsonSerializer.Deserialize<CompareResults>(File.ReadAllText(path), SeqRecJson.Files);
            if (results?.Machine is null || results.Points is null) throw new SeqRecException($"{path}: not a 'seqrec bench compare' results.json (no machine or points)");
            return (results.Machine, results.Command ?? "", results.Baseline, results.Points);
        }
        catch (JsonException e)
        {
            throw new SeqRecException($"{path}: line {e.LineNumber + 1}: not valid bench results JSON ({e.Message})");
        }
    }

    private sealed record CompareResults(MachineInfo? Machine, string? Command, string? Baseline, IReadOnlyList<BenchPoint>? Points);

    private static Command Point(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var length = new Option<int>("--max-len") { Required = true };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 0 };
        var full = new Option<bool>("--full");
        var output = new Option<string>("--out") { Required = true };
        var command = new Command("point", "Internal: measure one (model, length) point in this process and write its JSON.") { Hidden = true };
        options.AddTo(command);
        foreach (var option in new Option[] { length, epochs, steps, full, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var target = parse.GetValue(output)!;
            var point = BenchPointRunner.Measure(host.Registry, options.Request(parse), parse.GetValue(length), Math.Max(1, parse.GetValue(epochs)), Math.Max(0, parse.GetValue(steps)), parse.GetValue(full),
                Path.GetDirectoryName(Path.GetFullPath(target))!, parse.InvocationConfiguration.Output);
            AtomicFile.WriteAllText(target, JsonSerializer.Serialize(point, SeqRecJson.Files));
            return CliApp.Ok;
        });
        return command;
    }

    private static string CommandLine(ParseResult parse) => "seqrec " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));

    private static List<string> ParseList(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new SeqRecException($"{option}: '{text}' is not a positive integer");
}

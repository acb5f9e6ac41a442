using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Cli.Bench;
using SeqRec.Runs;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary>
/// <c>seqrec bench zoo</c>: every registered model (or those named) on the same data and seed, each in its own process:
/// parameters, seconds per epoch, peak memory, evaluation time, and with <c>--full</c> test metrics after early
/// stopping; a Markdown table sorted by test NDCG@10 and a plot of quality against epoch time.
/// </summary>
internal static class BenchZooCommand
{
    public static Command Create(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var models = new Option<string?>("--models") { Description = "Comma-separated model ids (default: every registered model)." };
        var length = new Option<int>("--max-len") { Description = "Max sequence length.", DefaultValueFactory = _ => 50 };
        var epochs = new Option<int>("--epochs") { Description = "Measured training epochs per model (after one warm-up epoch), without --full.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Time this many training steps per model instead of whole epochs, without --full.", DefaultValueFactory = _ => 0 };
        var full = new Option<bool>("--full") { Description = "Train each model to early stopping and report its test metrics." };
        var output = new Option<string?>("--out") { Description = "Output folder (default bench/zoo-<timestamp>)." };
        var command = new Command("zoo", "Every registered model on the same data and seed: cost, and with --full quality; a table sorted by test NDCG@10 and a plot.");
        options.AddTo(command);
        foreach (var option in new Option[] { models, length, epochs, steps, full, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var modelIds = parse.GetValue(models) is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList()
                : [.. host.Registry.All.Select(m => m.Id)];
            foreach (var id in modelIds) host.Registry.Get(id);
            var maxLength = parse.GetValue(length);
            if (maxLength < 1) throw new SeqRecException($"--max-len: {maxLength} is below the minimum 1");
            var folder = parse.GetValue(output) ?? Path.Combine("bench", "zoo-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var request = options.Request(parse);
            var compare = new CompareRequest(modelIds, request.Dataset ?? "ml-100k", [maxLength], Math.Max(1, parse.GetValue(epochs)),
                Math.Max(0, parse.GetValue(steps)), parse.GetValue(full), request.Files, request.Sets, Path.GetFullPath(folder), null,
                [.. host.PluginArguments]);
            var points = new CompareRunner(compare, parse.InvocationConfiguration.Output).Run();

            var machine = MachineInfo.Current().MeasuredBy(points);
            var commandLine = "seqrec " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new { machine, command = commandLine, points }, SeqRecJson.Files));
            string? plot = null;
            try
            {
                plot = ZooReport.WritePlot(points, folder);
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"warning: plot skipped, the plotting library could not load its native parts ({e.Message})");
            }
            var report = ZooReport.Write(points, machine, commandLine, plot);
            AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), report);
            parse.InvocationConfiguration.Output.Write(report);
            ConsoleFor.Output(parse).WriteLine($"report: {Path.Combine(folder, "report.md")}");
            return points.Any(p => p.Error is not null) ? CliApp.Failure : CliApp.Ok;
        });
        return command;
    }
}

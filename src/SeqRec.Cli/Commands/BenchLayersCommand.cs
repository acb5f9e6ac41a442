using System.CommandLine;
using System.Globalization;
using SeqRec.Cli.Bench;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec bench layers</c>: forward+backward time and peak memory of each encoder over sequence lengths.</summary>
internal static class BenchLayersCommand
{
    public static Command Create(ModelHost host)
    {
        var defaults = new LayerBenchmarkOptions();
        var batch = new Option<int>("--batch") { Description = "Sequences per batch.", DefaultValueFactory = _ => defaults.Batch };
        var lengths = new Option<string>("--lengths") { Description = "Comma-separated sequence lengths.", DefaultValueFactory = _ => string.Join(',', defaults.Lengths) };
        var nItems = new Option<int>("--n-items") { Description = "Item vocabulary size including padding.", DefaultValueFactory = _ => defaults.NItems };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before measuring.", DefaultValueFactory = _ => defaults.Warmup };
        var reps = new Option<int>("--reps") { Description = "Timed steps; the median is reported.", DefaultValueFactory = _ => defaults.Repetitions };
        var models = new Option<string>("--models") { Description = "Comma-separated model ids (default: every registered model)." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: libtorch's default).", DefaultValueFactory = _ => defaults.Threads };
        var seed = new Option<int>("--seed") { Description = "Seed for weights and data.", DefaultValueFactory = _ => defaults.Seed };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var singleCase = new Option<string?>("--case") { Description = "Internal: run one model:length case in this process.", Hidden = true };

        var command = new Command("layers", "Time one forward+backward (encoder + CE loss) of each model at several sequence lengths; each case runs in a fresh process for its peak memory.");
        foreach (var option in new Option[] { batch, lengths, nItems, warmup, reps, models, threads, seed, json, singleCase })
            command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            var options = new LayerBenchmarkOptions
            {
                Batch = Positive(parseResult.GetValue(batch), "--batch"),
                Lengths = ParseList(parseResult.GetValue(lengths) ?? "").Select(l => Positive(ParseInt(l, "--lengths"), "--lengths")).ToList(),
                NItems = Positive(parseResult.GetValue(nItems), "--n-items"),
                Warmup = Math.Max(0, parseResult.GetValue(warmup)),
                Repetitions = Positive(parseResult.GetValue(reps), "--reps"),
                Models = ParseList(parseResult.GetValue(models) ?? ""),
                Threads = Math.Max(0, parseResult.GetValue(threads)),
                Seed = parseResult.GetValue(seed),
            };

            if (parseResult.GetValue(singleCase) is { } one)
            {
                var parts = one.Split(':');
                if (parts.Length != 2) throw new SeqRecException($"--case: expected model:length, got '{one}'");
                LayerBenchmark.RunChild(host.Registry, parts[0], Positive(ParseInt(parts[1], "--case"), "--case"), options, Console.Out);
                return 0;
            }

            var results = LayerBenchmark.RunIsolated(host.Registry, options, SelfCommand(host),
                r => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Model} L={r.Length}: {r.MedianMs:F1} ms, {r.PeakMemoryBytes / 1048576.0:F0} MiB")));
            Console.Write(LayerBenchmark.FormatTable(results));
            if (parseResult.GetValue(json) is { } file)
                LayerBenchmark.WriteJson(file.FullName, results);
            return 0;
        });
        return command;
    }

    // This executable again (through the dotnet host when started as `dotnet seqrec.dll`), down to `bench layers`.
    private static (string, IReadOnlyList<string>) SelfCommand(ModelHost host)
    {
        var start = SelfInvocation.StartInfo();
        return (start.FileName, [.. start.ArgumentList, .. host.PluginArguments, "bench", "layers"]);
    }

    private static List<string> ParseList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int ParseInt(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new SeqRecException($"{option}: expected an integer, got '{text}'");

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new SeqRecException($"{option}: expected a positive integer, got {value}");
}

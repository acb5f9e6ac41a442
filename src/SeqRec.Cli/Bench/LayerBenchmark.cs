using SeqRec.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Cli.Bench;

/// <summary>
/// Times one training forward+backward (encoder + CE loss at the last position) per model and sequence length, with
/// each model's default hyper-parameters, on random full-vocabulary sequences.
/// </summary>
/// <remarks>
/// Memory: libtorch on the CPU keeps no allocation statistics, and a process's peak resident set (VmHWM) cannot be
/// reset, so every (model, L) case runs in a fresh child process (<see cref="RunIsolated"/>), which reports the growth
/// of its peak resident set over the resident set just before its first step. That counts everything the step
/// touches (activations kept for backward, gradients, temporaries, allocator slack), i.e. what the machine must have.
/// </remarks>
public static class LayerBenchmark
{
    /// <summary>The line prefix a child process writes its result after.</summary>
    public const string ResultMarker = "seqrec-bench-result: ";

    /// <summary>Runs one case in this process. Memory figures are only meaningful in a fresh process.</summary>
    public static LayerBenchmarkResult RunCase(ModelRegistry models, string modelId, int length, LayerBenchmarkOptions options)
    {
        var info = models.Get(modelId);
        if (options.Threads > 0) set_num_threads(options.Threads);
        var errors = new ConfigErrors();
        var config = info.Config.Bind(null, errors);
        manual_seed(options.Seed);
        using var model = info.Create(config, new ModelContext(options.NItems, length, options.NItems));
        model.train();
        var parameters = model.parameters().Sum(p => p.numel());
        using var batch = RandomBatch(options.Batch, length, options.NItems, options.Seed, model.Needs);

        var before = ProcessMemory.Resident();
        var times = new List<double>();
        var cpuTimes = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                model.zero_grad();
                model.CalculateLoss(batch).Total.backward();
            }
            watch.Stop();
            process.Refresh();
            if (rep < options.Warmup) continue;
            times.Add(watch.Elapsed.TotalMilliseconds);
            cpuTimes.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        var peak = ProcessMemory.PeakResident() - before;
        times.Sort();
        cpuTimes.Sort();
        return new LayerBenchmarkResult(info.Id, length, options.Batch, parameters, Median(times), times[0], Median(cpuTimes),
            get_num_threads(), Math.Max(0, peak));
    }

    /// <summary>
    /// Runs every case in its own child process. <paramref name="childCommand"/> gives the executable and leading
    /// arguments that reach <see cref="RunChild"/> (e.g. <c>seqrec bench layers</c>); the case arguments are appended.
    /// </summary>
    public static IReadOnlyList<LayerBenchmarkResult> RunIsolated(ModelRegistry models, LayerBenchmarkOptions options, (string FileName, IReadOnlyList<string> Arguments) childCommand, Action<LayerBenchmarkResult>? progress = null)
    {
        var results = new List<LayerBenchmarkResult>();
        foreach (var modelId in ModelIds(models, options))
        {
            foreach (var length in options.Lengths)
            {
                var start = new ProcessStartInfo(childCommand.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in childCommand.Arguments.Concat(ChildArguments(modelId, length, options))) start.ArgumentList.Add(argument);
                using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {childCommand.FileName}");
                var stderr = child.StandardError.ReadToEndAsync();
                var stdout = child.StandardOutput.ReadToEnd();
                child.WaitForExit();
                var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal))
                    ?? throw new SeqRecException($"bench layers: the child for {modelId} L={length} exited with {child.ExitCode} and no result:{Environment.NewLine}{stderr.Result}{stdout}");
                var result = JsonSerializer.Deserialize<LayerBenchmarkResult>(line[ResultMarker.Length..])!;
                progress?.Invoke(result);
                results.Add(result);
            }
        }
        return results;
    }

    /// <summary>The child side of <see cref="RunIsolated"/>: runs one case and writes its result line.</summary>
    public static void RunChild(ModelRegistry models, string modelId, int length, LayerBenchmarkOptions options, TextWriter output) =>
        output.WriteLine(ResultMarker + JsonSerializer.Serialize(RunCase(models, modelId, length, options)));

    /// <summary>Arguments understood by the <c>bench layers</c> command that make it run one case as a child.</summary>
    public static IEnumerable<string> ChildArguments(string modelId, int length, LayerBenchmarkOptions options) =>
    [
        "--case", $"{modelId}:{length.ToString(CultureInfo.InvariantCulture)}",
        "--batch", options.Batch.ToString(CultureInfo.InvariantCulture),
        "--n-items", options.NItems.ToString(CultureInfo.InvariantCulture),
        "--warmup", options.Warmup.ToString(CultureInfo.InvariantCulture),
        "--reps", options.Repetitions.ToString(CultureInfo.InvariantCulture),
        "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
        "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
    ];

    public static IReadOnlyList<string> ModelIds(ModelRegistry models, LayerBenchmarkOptions options) =>
        options.Models.Count > 0 ? options.Models : [.. models.All.Select(m => m.Id)];

    /// <summary>A plain-text table: one row per length, time and memory per model, and the ratios to the first model.</summary>
    public static string FormatTable(IReadOnlyList<LayerBenchmarkResult> results)
    {
        var models = results.Select(r => r.Model).Distinct().ToList();
        var text = new StringBuilder();
        var batch = results.Count > 0 ? results[0].Batch : 0;
        var threads = results.Count > 0 ? results[0].Threads : 0;
        text.AppendLine(CultureInfo.InvariantCulture, $"forward+backward of encoder + CE loss, batch {batch}, {threads} thread(s): median wall ms (min), median CPU ms, peak memory growth MiB");
        text.Append("     L");
        foreach (var model in models) text.Append(CultureInfo.InvariantCulture, $" | {model,-10} {"wall",8} {"(min)",8} {"cpu",8} {"MiB",6}");
        text.AppendLine();
        foreach (var length in results.Select(r => r.Length).Distinct().Order())
        {
            text.Append(CultureInfo.InvariantCulture, $"{length,6}");
            foreach (var model in models)
            {
                var r = results.FirstOrDefault(x => x.Model == model && x.Length == length);
                text.Append(r is null ? $" | {"",-10} {"",8} {"",8} {"",8} {"",6}"
                    : string.Create(CultureInfo.InvariantCulture, $" | {"",-10} {r.MedianMs,8:F1} ({r.MinMs,6:F1}) {r.MedianCpuMs,8:F1} {r.PeakMemoryBytes / 1048576.0,6:F0}"));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyList<LayerBenchmarkResult> results) =>
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Random right-padded sequences over the whole vocabulary, with what the model needs (negatives, users).</summary>
    private static Batch RandomBatch(int batch, int length, int nItems, int seed, BatchNeeds needs)
    {
        var random = new Random(seed);
        var lengths = new long[batch];
        var seq = new long[batch * length];
        for (var row = 0; row < batch; row++)
        {
            lengths[row] = random.Next(1, length + 1);
            for (var t = 0; t < lengths[row]; t++) seq[row * length + t] = random.Next(1, nItems);
        }
        long[] Draw() => [.. Enumerable.Range(0, batch).Select(_ => (long)random.Next(1, nItems))];
        var pos = Draw();
        var neg = needs.Negatives ? Draw() : null;
        var users = needs.UserIds ? Draw() : null;
        return new Batch(tensor(seq, [batch, length]), tensor(lengths), tensor(pos), [.. Enumerable.Range(0, batch)],
            neg is null ? null : tensor(neg), users is null ? null : tensor(users));
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

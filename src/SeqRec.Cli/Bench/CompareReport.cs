using System.Globalization;
using System.Text;
using SeqRec.Benchmarks;

namespace SeqRec.Cli.Bench;

/// <summary>
/// The Markdown report of <c>seqrec bench compare</c>: one table per measure, one column per model, and with a baseline
/// one ratio column per other model (baseline / model where lower is better, model / baseline where higher is).
/// </summary>
internal static class CompareReport
{
    public static string Write(IReadOnlyList<BenchPoint> points, MachineInfo machine, string command, IReadOnlyList<string> plots, string? baseline)
    {
        var models = points.Select(p => p.Model).Distinct().ToList();
        var lengths = points.Select(p => p.MaxLength).Distinct().Order().ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {string.Join(" vs ", models)}: cost and quality as sequences grow\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Command: `{command}`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Machine: {machine.Cpu}, {machine.Cores} cores, torch threads {machine.TorchThreads}, {machine.Os}, {machine.Runtime}, TorchSharp {machine.TorchSharp}, allocator `{machine.Allocator}`.\n\n");
        var measured = points.Where(p => p.Error is null).ToList();
        if (measured.Count > 0)
        {
            // A merged report (bench report) may mix whole epochs at short lengths with timed steps at long ones.
            var methods = measured.GroupBy(Timing).ToList();
            var timing = methods.Count == 1
                ? methods[0].Key
                : string.Join("; ", methods.Select(m => $"at L = {string.Join(", ", m.Select(p => p.MaxLength).Distinct().Order())}, {m.Key}"));
            text.Append(CultureInfo.InvariantCulture, $"Batch size {measured[0].TrainBatchSize}; each (model, length) ran in its own process; {timing}.\n");
        }

        Table(text, baseline, "Training seconds per epoch", models, lengths, points, p => p.TrainSecondsPerEpoch, "F2", lowerIsBetter: true);
        Table(text, baseline, "Peak memory of the process (GB)", models, lengths, points, p => p.PeakRssBytes / 1e9, "F2", lowerIsBetter: true);
        if (points.Any(p => p.TrainingPeakRssBytes is not null))
            Table(text, baseline, "Peak memory when training ends, before evaluation (GB)", models, lengths, points,
                p => p.TrainingPeakRssBytes is { } bytes ? bytes / 1e9 : double.NaN, "F2", lowerIsBetter: true);
        if (points.Any(p => p.EvalPeakRssBytes is not null))
            Table(text, baseline, "Peak memory while evaluating the test users (GB; what stays resident from training included)", models, lengths, points,
                p => p.EvalPeakRssBytes is { } bytes ? bytes / 1e9 : double.NaN, "F2", lowerIsBetter: true);
        Table(text, baseline, "Full-ranking evaluation of the test users (seconds, median of the timed runs after a warm-up)", models, lengths, points, p => p.EvalSeconds, "F3", lowerIsBetter: true);
        Table(text, baseline, "Inference latency per user, batch 1 (ms)", models, lengths, points, p => p.LatencyMsBatch1, "F2", lowerIsBetter: true);
        Table(text, baseline, "Inference latency per user, batch 256 (ms)", models, lengths, points, p => p.LatencyMsBatch256, "F3", lowerIsBetter: true);
        Table(text, baseline, "Parameters", models, lengths, points, p => p.Parameters, "N0", lowerIsBetter: true);
        if (points.Any(p => p.TestMetrics.Count > 0))
        {
            foreach (var metric in points.SelectMany(p => p.TestMetrics.Keys).Distinct().Where(k => k.EndsWith("@10", StringComparison.Ordinal)))
                Table(text, baseline, $"Test {metric} (trained to early stopping)", models, lengths, points, p => p.TestMetrics.GetValueOrDefault(metric, double.NaN), "F4", lowerIsBetter: false);
        }
        var failed = points.Where(p => p.Error is not null).ToList();
        if (failed.Count > 0)
        {
            text.Append("\n## Failed points\n\n");
            foreach (var p in failed) text.Append(CultureInfo.InvariantCulture, $"- {p.Model} at L={p.MaxLength}: {p.Error}\n");
        }
        if (plots.Count > 0)
        {
            text.Append("\n## Plots\n\n");
            foreach (var plot in plots) text.Append(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot})\n");
        }
        return text.ToString();
    }

    private static string Timing(BenchPoint point) => point.MeasuredSteps is { } stepCount
        ? string.Create(CultureInfo.InvariantCulture, $"seconds per epoch are the mean of {stepCount} timed training steps (after two warm-up steps) × {point.BatchesPerEpoch} batches per epoch")
        : string.Create(CultureInfo.InvariantCulture, $"seconds per epoch are the median of {point.EpochSeconds.Count} epochs after a warm-up epoch");

    private static void Table(StringBuilder text, string? baseline, string title, List<string> models, List<int> lengths, IReadOnlyList<BenchPoint> points,
        Func<BenchPoint, double> measure, string format, bool lowerIsBetter)
    {
        var compared = baseline is not null && models.Contains(baseline) ? models.Where(m => m != baseline).ToList() : [];
        text.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n| L | {string.Join(" | ", models)} |");
        foreach (var model in compared) text.Append(lowerIsBetter ? $" {baseline} / {model} |" : $" {model} / {baseline} |");
        text.Append("\n|---:|").Append(string.Concat(Enumerable.Repeat("---:|", models.Count + compared.Count))).Append('\n');
        foreach (var length in lengths)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {length} |");
            foreach (var model in models)
            {
                var point = points.FirstOrDefault(p => p.Model == model && p.MaxLength == length);
                text.Append(' ').Append(point is null ? "–" : point.Error is not null ? "failed" : measure(point).ToString(format, CultureInfo.InvariantCulture)).Append(" |");
            }
            var reference = points.FirstOrDefault(p => p.Model == baseline && p.MaxLength == length && p.Error is null);
            foreach (var model in compared)
            {
                var point = points.FirstOrDefault(p => p.Model == model && p.MaxLength == length && p.Error is null);
                var value = point is null || reference is null ? double.NaN : lowerIsBetter ? measure(reference) / measure(point) : measure(point) / measure(reference);
                text.Append(' ').Append(double.IsFinite(value) ? value.ToString("F2", CultureInfo.InvariantCulture) + "×" : "–").Append(" |");
            }
            text.Append('\n');
        }
    }
}

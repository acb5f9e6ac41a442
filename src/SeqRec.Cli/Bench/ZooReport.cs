using System.Globalization;
using System.Text;
using ScottPlot;
using SeqRec.Benchmarks;

namespace SeqRec.Cli.Bench;

/// <summary>
/// The report of <c>seqrec bench zoo</c>: one row per model at one sequence length, sorted by test NDCG@10 when the
/// models were trained to early stopping (else by training time), and a plot of quality against epoch time.
/// </summary>
internal static class ZooReport
{
    public const string QualityMetric = "ndcg@10";

    public static string Write(IReadOnlyList<BenchPoint> points, MachineInfo machine, string command, string? plot)
    {
        var measured = points.Where(p => p.Error is null).ToList();
        var withQuality = measured.Any(p => p.TestMetrics.ContainsKey(QualityMetric));
        var ordered = withQuality
            ? measured.OrderByDescending(p => p.TestMetrics.GetValueOrDefault(QualityMetric, double.NegativeInfinity)).ToList()
            : measured.OrderBy(p => p.TrainSecondsPerEpoch).ToList();
        var text = new StringBuilder();
        text.Append("# The zoo on one dataset: quality and cost\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Command: `{command}`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Machine: {machine.Cpu}, {machine.Cores} cores, torch threads {machine.TorchThreads}, {machine.Os}, {machine.Runtime}, TorchSharp {machine.TorchSharp}.\n\n");
        if (measured.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"L = {measured[0].MaxLength}, batch {measured[0].TrainBatchSize}; each model ran in its own process; sorted by {(withQuality ? "test NDCG@10" : "training time")}.\n\n");

        var metrics = withQuality ? new[] { "ndcg@10", "recall@10", "mrr@10", "hit@10" } : [];
        text.Append("| model | parameters | s/epoch | peak GB | test eval s |");
        foreach (var metric in metrics) text.Append(CultureInfo.InvariantCulture, $" test {metric} |");
        if (withQuality) text.Append(" best epoch |");
        text.Append("\n|---|---:|---:|---:|---:|").Append(string.Concat(Enumerable.Repeat("---:|", metrics.Length + (withQuality ? 1 : 0)))).Append('\n');
        foreach (var p in ordered)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {p.Model} | {p.Parameters:N0} | {p.TrainSecondsPerEpoch:F2} | {p.PeakRssBytes / 1e9:F2} | {p.EvalSeconds:F3} |");
            foreach (var metric in metrics)
                text.Append(' ').Append(p.TestMetrics.TryGetValue(metric, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "–").Append(" |");
            if (withQuality) text.Append(CultureInfo.InvariantCulture, $" {p.BestEpoch} |");
            text.Append('\n');
        }
        foreach (var p in points.Where(p => p.Error is not null))
            text.Append(CultureInfo.InvariantCulture, $"\n- {p.Model}: failed: {p.Error}");
        if (plot is not null) text.Append(CultureInfo.InvariantCulture, $"\n![quality against epoch time]({plot})\n");
        return text.ToString();
    }

    /// <summary>Test NDCG@10 against seconds per epoch, one labelled point per model; null without test metrics.</summary>
    public static string? WritePlot(IReadOnlyList<BenchPoint> points, string folder)
    {
        var withQuality = points.Where(p => p.Error is null && p.TestMetrics.ContainsKey(QualityMetric)).ToList();
        if (withQuality.Count == 0) return null;
        var plot = new Plot();
        foreach (var p in withQuality)
        {
            var marker = plot.Add.Marker(p.TrainSecondsPerEpoch, p.TestMetrics[QualityMetric]);
            marker.Size = 9;
            var label = plot.Add.Text(p.Model, p.TrainSecondsPerEpoch, p.TestMetrics[QualityMetric]);
            label.LabelFontSize = 12;
            label.OffsetX = 6;
        }
        plot.Title("Test NDCG@10 against training time");
        plot.XLabel("seconds per epoch");
        plot.YLabel("test NDCG@10");
        const string file = "quality-vs-epoch-time.png";
        plot.SavePng(Path.Combine(folder, file), 900, 560);
        return file;
    }
}

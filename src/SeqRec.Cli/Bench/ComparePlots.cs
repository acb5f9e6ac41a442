using ScottPlot;
using SeqRec.Benchmarks;

namespace SeqRec.Cli.Bench;

/// <summary>PNG plots of a comparison: time and memory against sequence length, and test NDCG@10 per model.</summary>
internal static class ComparePlots
{
    /// <summary>Writes the plots into <paramref name="folder"/>; returns their file names. Throws if rendering is impossible.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<BenchPoint> points, string folder)
    {
        var ok = points.Where(p => p.Error is null).ToList();
        var files = new List<string>
        {
            LinePlot(ok, folder, "time-vs-length.png", "Training time per epoch", "seconds / epoch", p => p.TrainSecondsPerEpoch),
            LinePlot(ok, folder, "memory-vs-length.png", "Peak memory", "GB", p => p.PeakRssBytes / 1e9),
        };
        if (ok.Any(p => p.TestMetrics.ContainsKey("ndcg@10"))) files.Add(QualityPlot(ok, folder));
        return files;
    }

    private static string LinePlot(List<BenchPoint> points, string folder, string file, string title, string yLabel, Func<BenchPoint, double> measure)
    {
        var plot = new Plot();
        foreach (var group in points.GroupBy(p => p.Model))
        {
            var ordered = group.OrderBy(p => p.MaxLength).ToList();
            var line = plot.Add.Scatter(ordered.Select(p => (double)p.MaxLength).ToArray(), ordered.Select(measure).ToArray());
            line.LegendText = group.Key;
            line.MarkerSize = 8;
        }
        plot.Title(title);
        plot.XLabel("max sequence length L");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Path.Combine(folder, file), 800, 500);
        return file;
    }

    private static string QualityPlot(List<BenchPoint> points, string folder)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var labels = new List<Tick>();
        var x = 0;
        var models = points.Select(p => p.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var point in points.OrderBy(p => p.MaxLength).ThenBy(p => p.Model))
        {
            if (!point.TestMetrics.TryGetValue("ndcg@10", out var ndcg)) continue;
            bars.Add(new Bar { Position = x, Value = ndcg, FillColor = palette.GetColor(models.IndexOf(point.Model)) });
            labels.Add(new Tick(x, $"{point.Model}\nL={point.MaxLength}"));
            x++;
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(labels.ToArray());
        plot.Title("Test NDCG@10");
        plot.Axes.Margins(bottom: 0);
        const string file = "quality-ndcg10.png";
        plot.SavePng(Path.Combine(folder, file), 800, 500);
        return file;
    }
}

using SeqRec.Configuration;
using SeqRec.Evaluation;
using SeqRec.Statistics;

namespace SeqRec.Cli.Comparison;

/// <summary>Mean and spread of one metric of one entry over its seeds, and its test against the baseline.</summary>
/// <param name="Std">Sample standard deviation (n − 1); 0 with one seed.</param>
/// <param name="Difference">Mean of (entry − baseline) over paired seeds; null for the baseline itself.</param>
/// <param name="Test">The paired test against the baseline; null for the baseline, or with fewer than two paired seeds.</param>
public sealed record MetricSummary(string Label, string Metric, int Seeds, double Mean, double Std, double? Difference, PairedTestResult? Test)
{
    /// <summary>(entry − baseline) / baseline of the means; null for the baseline or a zero baseline mean.</summary>
    public double? RelativeChange { get; init; }
}

/// <summary>The statistics of a comparison: per entry and metric, over the seeds every entry has finished.</summary>
public sealed class ComparisonSummary
{
    private ComparisonSummary(IReadOnlyList<string> labels, IReadOnlyList<string> metrics, IReadOnlyList<MetricSummary> rows, string baseline, PairedTestKind test)
    {
        Labels = labels;
        Metrics = metrics;
        Rows = rows;
        Baseline = baseline;
        TestKind = test;
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Metric keys (<c>ndcg@10</c>) in the order the runs report them.</summary>
    public IReadOnlyList<string> Metrics { get; }

    public IReadOnlyList<MetricSummary> Rows { get; }
    public string Baseline { get; }
    public PairedTestKind TestKind { get; }

    public MetricSummary? Row(string label, string metric) => Rows.FirstOrDefault(r => r.Label == label && r.Metric == metric);

    public static ComparisonSummary Of(IReadOnlyList<ComparisonRun> runs, IReadOnlyList<string> labels, string baseline, PairedTestKind test)
    {
        var metrics = runs.SelectMany(r => r.Test.Select(m => m.Key)).Distinct(StringComparer.Ordinal).ToList();
        var baselineRuns = runs.Where(r => r.Label == baseline).ToDictionary(r => r.Seed);
        var rows = new List<MetricSummary>();
        foreach (var label in labels)
        {
            var own = runs.Where(r => r.Label == label).OrderBy(r => r.Seed).ToList();
            if (own.Count == 0) continue;
            foreach (var metric in metrics)
            {
                var values = own.Select(r => Value(r, metric)).ToArray();
                var mean = values.Average();
                var std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                if (label == baseline)
                {
                    rows.Add(new MetricSummary(label, metric, values.Length, mean, std, null, null));
                    continue;
                }
                var paired = own.Where(r => baselineRuns.ContainsKey(r.Seed)).ToList();
                var mine = paired.Select(r => Value(r, metric)).ToArray();
                var theirs = paired.Select(r => Value(baselineRuns[r.Seed], metric)).ToArray();
                double? difference = paired.Count > 0 ? mine.Zip(theirs, (a, b) => a - b).Average() : null;
                var result = paired.Count >= 2 ? PairedTest.Run(test, mine, theirs) : null;
                var baselineMean = theirs.Length > 0 ? theirs.Average() : 0;
                rows.Add(new MetricSummary(label, metric, values.Length, mean, std, difference, result)
                {
                    RelativeChange = difference is { } d && baselineMean != 0 ? d / baselineMean : null,
                });
            }
        }
        return new ComparisonSummary([.. labels.Where(l => runs.Any(r => r.Label == l))], metrics, rows, baseline, test);
    }

    private static double Value(ComparisonRun run, string metric) =>
        run.Test.FirstOrDefault(m => m.Key == metric) is { Key: not null } found ? found.Value : double.NaN;

    /// <summary>A metric key as RecBole users write the metric: <c>ndcg@10</c> → <c>NDCG@10</c>.</summary>
    public static string DisplayName(string key)
    {
        var at = key.IndexOf('@');
        var name = at < 0 ? key : key[..at];
        var known = EvalConfig.KnownMetrics.FirstOrDefault(m => m.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;
        return at < 0 ? known : known + key[at..];
    }

    /// <summary>Whether a smaller value of the metric is better (AveragePopularity, GiniIndex).</summary>
    public static bool SmallerIsBetter(string key)
    {
        var at = key.IndexOf('@');
        return ListMetrics.TryParse(at < 0 ? key : key[..at]) is { } metric && ListMetrics.SmallerIsBetter(metric);
    }
}

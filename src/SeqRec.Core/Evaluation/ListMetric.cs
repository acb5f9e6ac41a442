namespace SeqRec.Evaluation;

/// <summary>
/// Metrics of the top-K lists recommended over a whole evaluation set rather than of each sample's target: how many
/// items they cover, how popular and how evenly spread their items are (RecBole's non-accuracy metrics).
/// </summary>
public enum ListMetric { ItemCoverage, AveragePopularity, GiniIndex, ShannonEntropy, TailPercentage }

public static class ListMetrics
{
    /// <summary>Parses a metric name as users write it (ItemCoverage, AveragePopularity, ...), ignoring case; null if it is not a list metric.</summary>
    public static ListMetric? TryParse(string name)
    {
        foreach (var metric in Enum.GetValues<ListMetric>())
        {
            if (metric.ToString().Equals(name, StringComparison.OrdinalIgnoreCase)) return metric;
        }
        return null;
    }

    /// <summary>The lower-case key of a metric at a cut-off, e.g. <c>itemcoverage@10</c>, as RecBole names it.</summary>
    public static string Key(ListMetric metric, int k) => $"{metric.ToString().ToLowerInvariant()}@{k}";

    /// <summary>Whether smaller values are better (RecBole's <c>smaller</c> flag).</summary>
    public static bool SmallerIsBetter(ListMetric metric) => metric is ListMetric.AveragePopularity or ListMetric.GiniIndex;
}

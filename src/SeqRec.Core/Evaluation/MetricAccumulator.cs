namespace SeqRec.Evaluation;

/// <summary>
/// Averages per-sample metric values over an evaluation set. Sums run in double precision in sample order, like
/// RecBole's NumPy mean over users, and the means are rounded with <see cref="MetricRounding"/>.
/// </summary>
public sealed class MetricAccumulator
{
    private readonly (RankingMetric Metric, int K)[] _columns;
    private readonly double[] _sums;
    private long _count;

    public MetricAccumulator(IReadOnlyList<RankingMetric> metrics, IReadOnlyList<int> topk)
    {
        if (topk.Any(k => k < 1)) throw new ArgumentException("every K must be at least 1", nameof(topk));
        _columns = [.. metrics.SelectMany(metric => topk.Select(k => (metric, k)))];
        _sums = new double[_columns.Length];
    }

    public long Count => _count;

    /// <summary>Adds one sample whose target has 1-based rank <paramref name="rank"/>.</summary>
    public void Add(int rank)
    {
        for (var c = 0; c < _columns.Length; c++)
            _sums[c] += RankingMetrics.Value(_columns[c].Metric, rank, _columns[c].K);
        _count++;
    }

    public void AddRange(ReadOnlySpan<int> ranks)
    {
        foreach (var rank in ranks) Add(rank);
    }

    /// <summary>The rounded means; every metric is 0 when no sample was added.</summary>
    public MetricValues Result() => new(_columns.Select((column, c) => KeyValuePair.Create(
        RankingMetrics.Key(column.Metric, column.K),
        _count == 0 ? 0.0 : MetricRounding.Round(_sums[c] / _count))));
}

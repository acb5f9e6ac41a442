namespace SeqRec.Evaluation;

/// <summary>
/// Computes the <see cref="ListMetric"/>s of an evaluation set from each sample's top-K list (best first), one sample
/// at a time, with RecBole 1.2.1's definitions (<c>recbole/evaluator/metrics.py</c>), at every cut-off K:
/// <list type="bullet">
/// <item>ItemCoverage: distinct items in the lists / n_items (padding included, as RecBole's <c>num_items</c>);</item>
/// <item>AveragePopularity: mean over samples of the mean training count (<see cref="ItemPopularity"/>) of the K items;</item>
/// <item>GiniIndex: Σ (2i − n_items − 1)·c₍ᵢ₎ / (K·samples) / n_items over the recommended items' counts c sorted
///   ascending, i running over the top ranks n_items − m + 1 .. n_items (items never recommended count 0);</item>
/// <item>ShannonEntropy: −Σ p ln p over the recommended items, p = occurrences / (K·samples), divided by the number
///   of distinct items (RecBole divides by it; the textbook entropy does not);</item>
/// <item>TailPercentage: mean over samples of the share of the K items in the long tail (<see cref="ItemPopularity.TailItems"/>).</item>
/// </list>
/// Memory is n_items counters per cut-off, whatever the number of samples.
/// </summary>
public sealed class RecommendationListAccumulator
{
    private readonly int[] _topk;
    private readonly ItemPopularity _popularity;
    private readonly bool[] _tail;
    private readonly long[][] _occurrences;
    private readonly List<int>[] _firstSeenOrder;
    private readonly double[] _popularitySums;
    private readonly double[] _tailSums;
    private long _count;

    /// <param name="topk">The cut-offs; every list added must hold at least the largest.</param>
    /// <param name="tailRatio">RecBole's <c>tail_ratio</c> (see <see cref="ItemPopularity.TailItems"/>).</param>
    public RecommendationListAccumulator(IReadOnlyList<int> topk, ItemPopularity popularity, double tailRatio)
    {
        if (topk.Count == 0 || topk.Any(k => k < 1)) throw new ArgumentException("every K must be at least 1", nameof(topk));
        _topk = [.. topk];
        MaxK = _topk.Max();
        _popularity = popularity;
        _tail = popularity.TailItems(tailRatio);
        _occurrences = [.. _topk.Select(_ => new long[popularity.NItems])];
        _firstSeenOrder = [.. _topk.Select(_ => new List<int>())];
        _popularitySums = new double[_topk.Length];
        _tailSums = new double[_topk.Length];
    }

    public int MaxK { get; }

    public long Count => _count;

    /// <summary>Adds one sample's recommended items, best first (at least <see cref="MaxK"/> of them).</summary>
    public void Add(ReadOnlySpan<int> list)
    {
        if (list.Length < MaxK) throw new ArgumentException($"a list must hold at least {MaxK} items; got {list.Length}", nameof(list));
        for (var c = 0; c < _topk.Length; c++)
        {
            var k = _topk[c];
            long popularity = 0, tail = 0;
            var occurrences = _occurrences[c];
            foreach (var item in list[..k])
            {
                if (occurrences[item]++ == 0) _firstSeenOrder[c].Add(item);
                popularity += _popularity.Count(item);
                if (_tail[item]) tail++;
            }
            _popularitySums[c] += (double)popularity / k;
            _tailSums[c] += (double)tail / k;
        }
        _count++;
    }

    /// <summary>The value of <paramref name="metric"/> at cut-off <paramref name="k"/>, rounded as RecBole reports it; 0 without samples.</summary>
    public double Value(ListMetric metric, int k)
    {
        var c = Array.IndexOf(_topk, k);
        if (c < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"not a configured cut-off ({string.Join(", ", _topk)})");
        if (_count == 0) return 0.0;
        // RecBole's coverage is a ratio of Python ints, a plain float, which Python's round treats differently.
        if (metric == ListMetric.ItemCoverage)
            return MetricRounding.RoundPythonFloat((double)_firstSeenOrder[c].Count / _popularity.NItems);
        var value = metric switch
        {
            ListMetric.AveragePopularity => _popularitySums[c] / _count,
            ListMetric.TailPercentage => _tailSums[c] / _count,
            ListMetric.GiniIndex => Gini(c, k),
            ListMetric.ShannonEntropy => Entropy(c, k),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
        return MetricRounding.Round(value);
    }

    private double Gini(int c, int k)
    {
        var counts = _firstSeenOrder[c].Select(item => _occurrences[c][item]).Order().ToArray();
        long nItems = _popularity.NItems, weighted = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var rank = nItems - counts.Length + 1 + i;
            weighted += (2 * rank - nItems - 1) * counts[i];
        }
        return weighted / (double)(k * _count) / nItems;
    }

    private double Entropy(int c, int k)
    {
        var total = (double)(k * _count);
        var sum = 0.0;
        foreach (var item in _firstSeenOrder[c])
        {
            var p = _occurrences[c][item] / total;
            sum += -p * Math.Log(p);
        }
        return sum / _firstSeenOrder[c].Count;
    }
}

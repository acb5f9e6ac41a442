namespace SeqRec.Evaluation;

/// <summary>The top-K metrics of a next-item task, where each evaluation sample has exactly one relevant item.</summary>
public enum RankingMetric { Recall, Mrr, Ndcg, Hit, Precision, Map }

/// <summary>Per-sample values of the top-K metrics, following RecBole's definitions for one positive item.</summary>
public static class RankingMetrics
{
    /// <summary>Parses a metric name as users write it (Recall, MRR, NDCG, Hit, Precision, MAP), ignoring case.</summary>
    public static RankingMetric Parse(string name) => name.ToLowerInvariant() switch
    {
        "recall" => RankingMetric.Recall,
        "mrr" => RankingMetric.Mrr,
        "ndcg" => RankingMetric.Ndcg,
        "hit" => RankingMetric.Hit,
        "precision" => RankingMetric.Precision,
        "map" => RankingMetric.Map,
        _ => throw new SeqRecException($"eval.metrics: unknown metric '{name}' (known: {string.Join(", ", Configuration.EvalConfig.KnownMetrics)})"),
    };

    /// <summary>The lower-case key of a metric at a cut-off, e.g. <c>ndcg@10</c>.</summary>
    public static string Key(RankingMetric metric, int k) => $"{metric.ToString().ToLowerInvariant()}@{k}";

    /// <summary>
    /// The value for one sample whose target has 1-based rank <paramref name="rank"/>: Hit = Recall = [r ≤ K],
    /// MRR = [r ≤ K]/r, NDCG = [r ≤ K]/log2(r+1) (the ideal DCG of one positive is 1), Precision = [r ≤ K]/K, and
    /// MAP = [r ≤ K]/r: RecBole's MAP@K sums precision@i over the hits up to K and divides by min(K, positives), which
    /// for one positive is precision at its rank, 1/r.
    /// </summary>
    public static double Value(RankingMetric metric, int rank, int k)
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), rank, "ranks start at 1");
        if (rank > k) return 0.0;
        return metric switch
        {
            RankingMetric.Recall or RankingMetric.Hit => 1.0,
            RankingMetric.Mrr or RankingMetric.Map => 1.0 / rank,
            RankingMetric.Ndcg => 1.0 / Math.Log2(rank + 1),
            RankingMetric.Precision => 1.0 / k,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
    }
}

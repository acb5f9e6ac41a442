using SeqRec.Evaluation;
using Xunit;

namespace SeqRec.Tests.Evaluation;

public class MetricTests
{
    private static readonly RankingMetric[] AllMetrics = [RankingMetric.Recall, RankingMetric.Mrr, RankingMetric.Ndcg, RankingMetric.Hit, RankingMetric.Precision];

    [Fact]
    public void Ranks_1_3_12_at_10_give_the_reference_hand_example()
    {
        var accumulator = new MetricAccumulator(AllMetrics, [10]);
        accumulator.AddRange([1, 3, 12]);

        var result = accumulator.Result();

        Assert.Equal(["recall@10", "mrr@10", "ndcg@10", "hit@10", "precision@10"], result.Keys);
        Assert.Equal(0.6667, result["hit@10"]);
        Assert.Equal(0.6667, result["recall@10"]);
        Assert.Equal(0.4444, result["mrr@10"]);
        Assert.Equal(0.5, result["ndcg@10"]);
        Assert.Equal(0.0667, result["precision@10"]);
    }

    [Fact]
    public void Keys_list_every_metric_at_every_k_in_configured_order()
    {
        var accumulator = new MetricAccumulator([RankingMetric.Ndcg, RankingMetric.Hit], [5, 20]);
        accumulator.Add(7);

        var result = accumulator.Result();

        Assert.Equal(["ndcg@5", "ndcg@20", "hit@5", "hit@20"], result.Keys);
        Assert.Equal(0.0, result["hit@5"]);
        Assert.Equal(1.0, result["hit@20"]);
        Assert.Equal(MetricRounding.Round(1 / Math.Log2(8)), result["ndcg@20"]);
    }

    [Theory]
    [InlineData(0.12345, 0.1234)] // 1234.5 exactly: half to even, where Python's float round gives 0.1235
    [InlineData(0.12355, 0.1236)] // 1235.5: half to even rounds up here
    [InlineData(0.00025, 0.0002)]
    [InlineData(0.66665, 0.6666)]
    [InlineData(2.0 / 3.0, 0.6667)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 1.0)]
    public void Rounding_follows_numpy_round_half_to_even_on_the_scaled_value(double value, double expected) =>
        Assert.Equal(expected, MetricRounding.Round(value));

    [Fact]
    public void Per_sample_values_follow_the_single_positive_formulas()
    {
        Assert.Equal(1.0 / 3, RankingMetrics.Value(RankingMetric.Mrr, 3, 10));
        Assert.Equal(0.5, RankingMetrics.Value(RankingMetric.Ndcg, 3, 10));
        Assert.Equal(0.1, RankingMetrics.Value(RankingMetric.Precision, 3, 10));
        Assert.Equal(0.0, RankingMetrics.Value(RankingMetric.Hit, 11, 10));
        Assert.Equal(1.0, RankingMetrics.Value(RankingMetric.Recall, 10, 10));
    }

    [Fact]
    public void An_empty_evaluation_reports_zeros()
    {
        var result = new MetricAccumulator([RankingMetric.Mrr], [10]).Result();
        Assert.Equal(0.0, result["mrr@10"]);
    }

    [Theory]
    [InlineData(1, 10, 1.0)]
    [InlineData(4, 10, 0.25)]
    [InlineData(10, 10, 0.1)]
    [InlineData(11, 10, 0.0)]
    public void Map_is_recboles_average_precision_for_one_positive(int rank, int k, double expected)
    {
        // RecBole: sum over hits i <= K of precision@i, divided by min(K, positives) = 1: the precision at the target's rank.
        Assert.Equal(expected, RankingMetrics.Value(RankingMetric.Map, rank, k), 12);
        Assert.Equal(RankingMetric.Map, RankingMetrics.Parse("MAP"));
        Assert.Equal("map@10", RankingMetrics.Key(RankingMetric.Map, 10));
    }

    [Fact]
    public void Unknown_metric_names_are_a_clear_error()
    {
        var error = Assert.Throws<SeqRecException>(() => RankingMetrics.Parse("AUC"));
        Assert.Contains("AUC", error.Message);
        Assert.Equal(RankingMetric.Mrr, RankingMetrics.Parse("mrr"));
        Assert.Equal(RankingMetric.Ndcg, RankingMetrics.Parse("NDCG"));
    }

    [Fact]
    public void Metrics_table_has_a_row_per_key_and_a_column_per_set()
    {
        var valid = new MetricValues([KeyValuePair.Create("mrr@10", 0.0291), KeyValuePair.Create("hit@10", 0.0912)]);
        var test = new MetricValues([KeyValuePair.Create("mrr@10", 0.0254), KeyValuePair.Create("hit@10", 0.0785)]);

        var lines = MetricsTable.Format([("valid", valid), ("test", test)]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^mrr@10\s+0\.0291\s+0\.0254$", lines[2]);
        Assert.Matches(@"^hit@10\s+0\.0912\s+0\.0785$", lines[3]);
    }
}

using SeqRec.Configuration;
using SeqRec.Evaluation;
using SeqRec.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Evaluation;

/// <summary>
/// RecBole's list metrics on examples small enough to work out by hand (the arithmetic is in the comments), following
/// the definitions in RecBole 1.2.1's <c>recbole/evaluator/metrics.py</c>.
/// </summary>
public class ListMetricTests
{
    // n_items = 6 (padding + items 1..5). Training targets: item 1 three times, item 2 twice, item 3 once; items 4
    // and 5 are never a training target.
    private static readonly ItemPopularity Popularity = new(6, [1, 1, 1, 2, 2, 3]);

    // Three samples' top-2 lists; their top-1 lists are 1, 1, 4.
    private static readonly int[][] Lists = [[1, 2], [1, 3], [4, 1]];

    private static RecommendationListAccumulator Accumulate(double tailRatio = 0.1)
    {
        var accumulator = new RecommendationListAccumulator([1, 2], Popularity, tailRatio);
        foreach (var list in Lists) accumulator.Add(list);
        return accumulator;
    }

    [Fact]
    public void Item_coverage_counts_distinct_items_over_n_items_with_padding()
    {
        var lists = Accumulate();
        Assert.Equal(0.3333, lists.Value(ListMetric.ItemCoverage, 1)); // {1, 4} / 6
        Assert.Equal(0.6667, lists.Value(ListMetric.ItemCoverage, 2)); // {1, 2, 3, 4} / 6
    }

    [Fact]
    public void Average_popularity_is_the_mean_training_count_of_each_list_averaged_over_samples()
    {
        var lists = Accumulate();
        Assert.Equal(2.0, lists.Value(ListMetric.AveragePopularity, 1)); // (3 + 3 + 0) / 3
        Assert.Equal(2.0, lists.Value(ListMetric.AveragePopularity, 2)); // ((3+2)/2 + (3+1)/2 + (0+3)/2) / 3
    }

    [Fact]
    public void Gini_index_weights_sorted_occurrences_by_their_rank_among_all_items()
    {
        var lists = Accumulate();
        // top-1 occurrences {1: 2, 4: 1} sorted [1, 2] at ranks 5, 6 of 6: (3·1 + 5·2) / 3 / 6
        Assert.Equal(MetricRounding.Round(13.0 / 3 / 6), lists.Value(ListMetric.GiniIndex, 1));
        Assert.Equal(0.7222, lists.Value(ListMetric.GiniIndex, 1));
        // top-2 occurrences {1: 3, 2: 1, 3: 1, 4: 1} sorted [1, 1, 1, 3] at ranks 3..6: (-1 + 1 + 3 + 5·3) / 6 / 6
        Assert.Equal(0.5, lists.Value(ListMetric.GiniIndex, 2));
    }

    [Fact]
    public void Shannon_entropy_is_divided_by_the_number_of_distinct_items_as_recbole_does()
    {
        var lists = Accumulate();
        // p = 2/3, 1/3 over 2 items
        Assert.Equal(0.3183, lists.Value(ListMetric.ShannonEntropy, 1));
        // p = 1/2, 1/6, 1/6, 1/6 over 4 items: (0.5 ln 2 + 0.5 ln 6) / 4 = 0.31061
        Assert.Equal(0.3106, lists.Value(ListMetric.ShannonEntropy, 2));
    }

    [Theory]
    [InlineData(0.1, 0.0, 0.1667)]   // max(⌊3·0.1⌋, 1) = 1 least counted item: {3}; only [1, 3] holds it: (0 + 1/2 + 0) / 3
    [InlineData(0.7, 0.0, 0.3333)]   // ⌊3·0.7⌋ = 2: {3, 2}; [1, 2] and [1, 3] hold one each
    [InlineData(2.0, 0.0, 0.3333)]   // above 1, a count: items counted at most twice, {2, 3}; 4 and 5 never counted, never tail
    [InlineData(3.0, 0.6667, 0.8333)] // items counted at most 3 times: {1, 2, 3}
    public void Tail_percentage_uses_recboles_long_tail_set(double tailRatio, double atOne, double atTwo)
    {
        var lists = Accumulate(tailRatio);
        Assert.Equal(atOne, lists.Value(ListMetric.TailPercentage, 1));
        Assert.Equal(atTwo, lists.Value(ListMetric.TailPercentage, 2));
    }

    [Fact]
    public void Long_tail_ties_are_broken_by_item_id()
    {
        // Counts 2: 2, 3: 1, 4: 1; item 1 is never a target. ⌊3·0.5⌋ = 1 item: the lower id of the two counted once.
        var popularity = new ItemPopularity(5, [4, 3, 2, 2]);
        Assert.Equal([false, false, false, true, false], popularity.TailItems(0.5));
    }

    [Fact]
    public void Coverage_is_rounded_as_a_python_float_and_the_others_as_numpy_floats()
    {
        // 2469 / 20000 = 0.12345: its binary value lies just above, so Python's round gives 0.1235, NumPy's 0.1234.
        var popularity = new ItemPopularity(20000, []);
        var accumulator = new RecommendationListAccumulator([2469], popularity, 0.1);
        accumulator.Add([.. Enumerable.Range(1, 2469)]);
        Assert.Equal(0.1235, accumulator.Value(ListMetric.ItemCoverage, 2469));
        Assert.Equal(0.1234, MetricRounding.Round(2469 / 20000.0));
    }

    [Theory]
    [InlineData(0.12345, 0.1235)]
    [InlineData(0.00015, 0.0001)] // binary value just below the midpoint
    [InlineData(1.00005, 1.0001)]
    [InlineData(2.0 / 3.0, 0.6667)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.0, 0.0)]
    public void Python_float_rounding_rounds_the_exact_binary_value(double value, double expected) =>
        Assert.Equal(expected, MetricRounding.RoundPythonFloat(value));

    [Fact]
    public void Full_ranking_lists_skip_padding_and_order_ties_by_id()
    {
        using var scores = tensor(new float[,] { { 9f, 0.5f, 0.7f, 0.5f, 0.1f }, { 9f, 0.5f, 0.7f, 0.5f, 0.5f } });
        using var targets = tensor(new long[] { 1, 1 });
        // Row 0: the tie at 0.5 lies inside the list; row 1: three items tie at the cut, the lowest ids are kept.
        Assert.Equal([2, 1, 3, 2, 1, 3], TopKLists.FromFullScores(scores, targets, history: null, k: 3));
    }

    [Fact]
    public void Full_ranking_lists_with_mask_history_keep_the_target()
    {
        using var scores = tensor(new float[,] { { 9f, 0.9f, 0.8f, 0.7f, 0.6f } });
        using var targets = tensor(new long[] { 2 });
        using var history = tensor(new long[,] { { 0, 1, 2 } });
        Assert.Equal([2, 3], TopKLists.FromFullScores(scores, targets, history, k: 2));
    }

    [Fact]
    public void Sampled_lists_list_each_candidate_once_and_never_padding()
    {
        using var candidates = tensor(new long[,] { { 3, 5, 5, 0, 2 } });
        using var scores = tensor(new float[,] { { 0.3f, 0.9f, 0.9f, 5f, 0.3f } });
        Assert.Equal([5, 2, 3], TopKLists.FromSampledScores(scores, candidates, history: null, k: 3));
        var error = Assert.Throws<SeqRecException>(() => TopKLists.FromSampledScores(scores, candidates, history: null, k: 4));
        Assert.Contains("eval.topk: K=4 exceeds the 3 distinct candidates", error.Message);
    }

    // Items 1..5; rows by the first history item: row 1 ranks 4, 2, 3, 5, 1; row 2 ranks 1, 2, 5, 4, 3; row 5 ties every item.
    private static float[,] Table => EvaluatorTests.Table;

    [Fact]
    public void The_evaluator_reports_list_and_accuracy_metrics_in_the_configured_order()
    {
        using var model = new FixedScoresModel(Table);
        var samples = SyntheticData.Samples(4, ([1, 4], 3), ([2], 2), ([5, 1], 4));
        var config = new EvalConfig { Metrics = ["ItemCoverage", "MRR", "AveragePopularity"], Topk = [1, 2], ValidMetric = "MRR@2" };
        var evaluator = new Evaluator(config, seed: 1, popularity: new ItemPopularity(6, [1, 1, 2, 4]));

        var result = evaluator.Evaluate(model, samples, SyntheticData.EvalBatches(samples, 2));

        Assert.Equal(["itemcoverage@1", "itemcoverage@2", "mrr@1", "mrr@2", "averagepopularity@1", "averagepopularity@2"], result.Keys);
        // Top-2 lists [4, 2], [1, 2], [1, 2]; training counts 1: 2, 2: 1, 4: 1.
        Assert.Equal(0.3333, result["itemcoverage@1"]);
        Assert.Equal(0.5, result["itemcoverage@2"]);
        Assert.Equal(1.6667, result["averagepopularity@1"]);   // (1 + 2 + 2) / 3
        Assert.Equal(1.3333, result["averagepopularity@2"]);   // (1 + 1.5 + 1.5) / 3
        Assert.Equal(0.1667, result["mrr@2"]);                 // ranks 3, 2, 4
    }

    [Fact]
    public void Gauc_averages_each_samples_auc_with_tied_ranks_averaged()
    {
        using var model = new FixedScoresModel(Table);
        var samples = SyntheticData.Samples(4, ([1, 4], 3), ([2], 2), ([5, 1], 4));
        var config = new EvalConfig { Metrics = ["MRR", "GAUC"], Topk = [5], ValidMetric = "MRR@5" };

        var result = new Evaluator(config, seed: 1).Evaluate(model, samples, SyntheticData.EvalBatches(samples, 2));

        // n = 5 candidates each. Target 3: two items score higher, rank 3, AUC (5 - 3) / 4 = 0.5. Target 2: one
        // higher, AUC 0.75. Target 4: all five tie, rank 1 + 4/2 = 3, AUC 0.5. GAUC = 1.75 / 3.
        Assert.Equal(["mrr@5", "gauc"], result.Keys);
        Assert.Equal(0.5833, result["gauc"]);
    }

    [Fact]
    public void Sampled_tied_ranks_count_each_candidate_once_and_average_ties()
    {
        using var candidates = tensor(new long[,] { { 3, 5, 5, 0, 2 } });
        using var scores = tensor(new float[,] { { 0.3f, 0.9f, 0.9f, 5f, 0.3f } });
        // Candidates {3, 5, 2}: 5 above the target, 2 tied with it: rank 1 + 1 + 1/2.
        Assert.Equal(new TiedRank(2.5, 3), Assert.Single(TiedRanks.FromSampledScores(scores, candidates, history: null)));
        var gauc = new GaucAccumulator();
        gauc.Add(new TiedRank(2.5, 3));
        gauc.Add(new TiedRank(1, 1));   // no negative: left out, as RecBole does
        Assert.Equal(0.25, gauc.Result());
    }

    [Fact]
    public void List_metrics_cannot_pick_the_best_epoch_and_tail_ratio_must_be_positive()
    {
        var errors = new ConfigErrors();
        new EvalConfig { Metrics = ["MRR", "GiniIndex", "mrr"], ValidMetric = "GiniIndex@10", TailRatio = 0 }.Validate(errors);
        var messages = errors.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("valid_metric") && m.Contains("not their accuracy"));
        Assert.Contains(messages, m => m.Contains("'MRR' is listed 2 times"));
        Assert.Contains(messages, m => m.Contains("tail_ratio") && m.Contains("not above 0"));
    }

    [Theory]
    [InlineData("AUC", "value-based")]
    [InlineData("RMSE", "rating prediction")]
    public void Recboles_metrics_that_do_not_apply_say_why(string metric, string why)
    {
        var errors = new ConfigErrors();
        new EvalConfig { Metrics = ["MRR", metric] }.Validate(errors);
        Assert.Contains(errors.Errors, e => e.ToString().Contains($"'{metric}' is not supported") && e.ToString().Contains(why));
    }
}

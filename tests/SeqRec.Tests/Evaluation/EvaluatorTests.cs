using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Tests.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Evaluation;

public class EvaluatorTests(ITestOutputHelper output)
{
    // Items 1..5; column 0 is padding and scores highest, so it must be masked.
    // Row r holds the scores of the samples whose first history item is r.
    internal static readonly float[,] Table =
    {
        { 0, 0, 0, 0, 0, 0 },
        { 10, 0.1f, 0.5f, 0.3f, 0.9f, 0.2f },
        { 10, 0.8f, 0.7f, 0.1f, 0.2f, 0.3f },
        { 0, 0, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0, 0 },
        { 10, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f },
    };

    // s0: items 2 and 4 score above the target 3; 4 (and 1) are in the history.
    // s1: the target 2 is in the history (a repeat) and must stay scoreable; item 1 scores higher.
    // s2: every item ties; items 1..3 have lower ids than the target 4; 5 and 1 are in the history.
    private static readonly SampleSet Samples = SyntheticData.Samples(4, ([1, 4], 3), ([2], 2), ([5, 1], 4));

    private static EvalConfig Config(string mode = "full", bool maskHistory = false) =>
        new() { Metrics = ["MRR", "Hit"], Topk = [1, 10], ValidMetric = "MRR@10", Mode = mode, MaskHistory = maskHistory };

    private static int[] Ranks(EvalConfig config, Func<Batch, SampleSet, Tensor>? negatives = null, int batchSize = 3)
    {
        using var model = new FixedScoresModel(Table);
        var evaluator = new Evaluator(config, seed: 1, negatives);
        return [.. SyntheticData.EvalBatches(Samples, batchSize).SelectMany(batch =>
        {
            using (batch) return evaluator.Rank(model, Samples, batch);
        })];
    }

    [Fact]
    public void Full_ranking_masks_padding_and_breaks_ties_by_item_id() =>
        Assert.Equal([3, 2, 4], Ranks(Config()));

    [Fact]
    public void Mask_history_removes_history_items_but_never_the_target() =>
        Assert.Equal([2, 2, 3], Ranks(Config(maskHistory: true)));

    [Fact]
    public void A_repeated_history_item_is_masked_once()
    {
        using var model = new FixedScoresModel(Table);
        var samples = SyntheticData.Samples(4, ([1, 4, 4, 2], 3));
        using var batch = SyntheticData.EvalBatches(samples, 1).Single();

        Assert.Equal([1], new Evaluator(Config(maskHistory: true), seed: 1).Rank(model, samples, batch));
    }

    [Fact]
    public void Sampled_ranking_counts_each_distinct_negative_once()
    {
        var negatives = new long[,] { { 2, 2, 5 }, { 3, 4, 1 }, { 1, 3, 5 } };
        Assert.Equal([2, 2, 3], Ranks(Config("uni3"), (batch, _) => tensor(negatives).index_select(0, tensor(batch.SampleIndices.Select(i => (long)i).ToArray()))));
    }

    [Fact]
    public void Sampled_ranking_with_mask_history_ignores_history_negatives()
    {
        var negatives = new long[,] { { 2, 2, 5 }, { 3, 4, 1 }, { 1, 3, 5 } };
        Assert.Equal([2, 2, 2], Ranks(Config("uni3", maskHistory: true), (batch, _) => tensor(negatives).index_select(0, tensor(batch.SampleIndices.Select(i => (long)i).ToArray()))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sampled_ranking_against_every_other_item_equals_full_ranking(bool maskHistory)
    {
        Tensor AllOtherItems(Batch batch, SampleSet samples) => tensor(
            batch.SampleIndices.SelectMany(i => Enumerable.Range(1, 5).Where(item => item != samples.Target(i)).Select(item => (long)item)).ToArray(),
            [batch.Size, 4]);

        Assert.Equal(Ranks(Config(maskHistory: maskHistory)), Ranks(Config("uni4", maskHistory), AllOtherItems));
    }

    [Fact]
    public void Ranks_do_not_depend_on_the_batch_size() =>
        Assert.Equal(Ranks(Config(), batchSize: 3), Ranks(Config(), batchSize: 1));

    [Fact]
    public void Evaluate_averages_and_rounds_the_metrics_and_restores_the_training_mode()
    {
        using var model = new FixedScoresModel(Table);
        model.train();
        var result = new Evaluator(Config(), seed: 1).Evaluate(model, Samples, SyntheticData.EvalBatches(Samples, 2));

        Assert.Equal(MetricRounding.Round((1.0 / 3 + 1.0 / 2 + 1.0 / 4) / 3), result["mrr@10"]);
        Assert.Equal(0.0, result["hit@1"]);
        Assert.Equal(1.0, result["hit@10"]);
        Assert.True(model.training);
    }

    [Fact]
    public void Evaluate_refuses_batches_that_miss_samples()
    {
        using var model = new FixedScoresModel(Table);
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Evaluator(Config(), seed: 1).Evaluate(model, Samples, SyntheticData.EvalBatches(Samples, 2).Take(1)));
        Assert.Contains("2 samples", error.Message);
    }

    [Fact]
    public void A_NaN_target_score_is_an_error_not_rank_one()
    {
        var table = (float[,])Table.Clone();
        table[1, 3] = float.NaN;
        using var model = new FixedScoresModel(table);
        Assert.Throws<SeqRec.Training.TrainingDivergedException>(() => new Evaluator(Config(), seed: 1).Evaluate(model, Samples, SyntheticData.EvalBatches(Samples, 3)));
    }

    [Fact]
    public void Default_uniform_negatives_are_deterministic_and_never_the_target()
    {
        var data = SyntheticData.Create(users: 40, nItems: 30);
        var sampler = new UniformEvalNegatives(data.NItems, 50, seed: 3, excludeHistory: true);
        int[] all = [.. Enumerable.Range(0, data.Test.Count)];

        using var together = sampler.Sample(data.Test, all);
        using var oneByOne = cat([.. all.Select(i => sampler.Sample(data.Test, [i]))], 0);
        using var otherSeed = new UniformEvalNegatives(data.NItems, 50, seed: 4, excludeHistory: true).Sample(data.Test, all);

        Assert.True(together.eq(oneByOne).all().item<bool>());
        Assert.False(together.eq(otherSeed).all().item<bool>());
        var values = together.data<long>().ToArray();
        for (var row = 0; row < all.Length; row++)
        {
            var excluded = data.Test.History(row).ToArray().Append(data.Test.Target(row)).ToHashSet();
            foreach (var item in values.AsSpan(row * 50, 50).ToArray())
            {
                Assert.InRange(item, 1, data.NItems - 1);
                Assert.DoesNotContain((int)item, excluded);
            }
        }
    }

    [Fact]
    public void Default_uniN_evaluation_runs_and_is_repeatable()
    {
        var data = SyntheticData.Create(users: 40, nItems: 30);
        manual_seed(5);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength);
        var evaluator = new Evaluator(Config("uni10"), seed: 9);

        var first = evaluator.Evaluate(model, data.Test, SyntheticData.EvalBatches(data.Test, 7));
        var second = evaluator.Evaluate(model, data.Test, SyntheticData.EvalBatches(data.Test, 16));

        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.True(first["hit@10"] > 0);
    }

    // The goal is well under 0.3 s (ml-100k's test set); the bound here only catches gross regressions, since CI
    // machines are shared and the tests run unoptimised.
    [Fact]
    public void Full_ranking_of_943_users_over_1683_items_is_fast()
    {
        const int users = 943, nItems = 1683, length = 50;
        var random = new Random(1);
        var samples = SyntheticData.Samples(length, [.. Enumerable.Range(0, users).Select(_ =>
            (Enumerable.Range(0, length).Select(_ => random.Next(1, nItems)).ToArray(), random.Next(1, nItems)))]);
        manual_seed(1);
        using var model = new MeanPoolModel(nItems, length, hiddenSize: 64);
        var evaluator = new Evaluator(new EvalConfig { Topk = [5, 10, 20], MaskHistory = true }, seed: 1);
        evaluator.Evaluate(model, samples, SyntheticData.EvalBatches(samples, 4096));

        var batches = SyntheticData.EvalBatches(samples, 4096).ToList();
        var clock = Stopwatch.StartNew();
        var result = evaluator.Evaluate(model, samples, batches);
        var seconds = clock.Elapsed.TotalSeconds;

        using var batch = SyntheticData.EvalBatches(samples, 4096).Single();
        using var noGrad = no_grad();
        using var scores = model.FullSortScores(batch);
        clock.Restart();
        TargetRanks.FromFullScores(scores, batch.PosItems, batch.ItemSeq);
        var rankingMs = clock.Elapsed.TotalMilliseconds;

        output.WriteLine($"full ranking 943 x 1683 (mask_history, 3 cut-offs): {seconds * 1000:F1} ms in all, ranking alone {rankingMs:F1} ms; {result}");
        Assert.InRange(seconds, 0, 2.0);
    }
}

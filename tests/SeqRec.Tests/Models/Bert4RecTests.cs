using System.Diagnostics;
using System.Text.Json;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Kernels;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Models.Layers;
using SeqRec.Parity;
using SeqRec.Tests.Training;
using SeqRec.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

/// <summary>
/// BERT4Rec beyond the registry's contract: the masking transform (RecBole's <c>MaskItemSequence</c>), the evaluation
/// input (RecBole's <c>reconstruct_test_data</c>) and a resumed training run.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class Bert4RecTests(ITestOutputHelper output)
{
    private const int NItems = 30, Length = 8;
    private static readonly int[] Lengths = [8, 3, 1, 5, 8, 2, 7, 6];

    /// <summary>One transformed batch read back into arrays.</summary>
    private sealed record Masked(long[] Items, long[] Lens, long[] Sequence, long[] Pos, long[] Neg, long[] Index, int Rows, int Width, int M);

    private static Masked Transform(MaskItemSequence transform, BatchOrigin origin, int[]? lengths = null, int width = Length, int seed = 3)
    {
        using var batch = TinyModels.Batch(transform.NItems, width, lengths ?? Lengths, seed);
        transform.Apply(batch, origin);
        long[] Read(string name) => batch.Get(name).data<long>().ToArray();
        Assert.Equal([batch.Size, width], batch.Get(MaskItemSequence.MaskedItemSeq).shape);
        foreach (var name in new[] { MaskItemSequence.PosItems, MaskItemSequence.NegItems, MaskItemSequence.MaskIndex })
            Assert.Equal([batch.Size, transform.MaskLength], batch.Get(name).shape);
        return new Masked(batch.ItemSeq.data<long>().ToArray(), batch.ItemSeqLen.data<long>().ToArray(), Read(MaskItemSequence.MaskedItemSeq),
            Read(MaskItemSequence.PosItems), Read(MaskItemSequence.NegItems), Read(MaskItemSequence.MaskIndex), batch.Size, width, transform.MaskLength);
    }

    /// <summary>Checks every property RecBole's transform guarantees; returns how many masked positions each row has.</summary>
    private static int[] AssertWellFormed(Masked m, long maskToken)
    {
        var maskedCounts = new int[m.Rows];
        for (var row = 0; row < m.Rows; row++)
        {
            var items = m.Items.AsSpan(row * m.Width, m.Width);
            var sequence = m.Sequence.AsSpan(row * m.Width, m.Width);
            var maskedPositions = new List<int>();
            for (var i = 0; i < m.Width; i++)
            {
                if (sequence[i] == maskToken)
                {
                    Assert.True(i < m.Lens[row], $"row {row}: padding position {i} was masked");
                    maskedPositions.Add(i);
                }
                else Assert.Equal(items[i], sequence[i]);
            }
            maskedCounts[row] = maskedPositions.Count;

            // Left-padded with 0 to M: the entries are the last min(count, M) masked positions, in order.
            var kept = Math.Min(maskedPositions.Count, m.M);
            for (var j = 0; j < m.M; j++)
            {
                var at = row * m.M + j;
                if (j < m.M - kept)
                {
                    Assert.Equal((0L, 0L, 0L), (m.Pos[at], m.Neg[at], m.Index[at]));
                    continue;
                }
                var position = maskedPositions[maskedPositions.Count - kept + j - (m.M - kept)];
                Assert.Equal(position, m.Index[at]);
                Assert.Equal(items[position], m.Pos[at]);
                Assert.InRange(m.Neg[at], 1, maskToken - 1);
                Assert.DoesNotContain(m.Neg[at], items.ToArray());
            }
        }
        return maskedCounts;
    }

    [Fact]
    public void Random_masking_replaces_items_by_the_mask_token_and_lists_the_last_M_left_padded()
    {
        // mask_ratio 0.5 at L = 8: M = 4, and full rows often mask more than 4 items (the earlier ones are not predicted).
        var transform = new MaskItemSequence(NItems, Length, maskRatio: 0.5, ftRatio: 0);
        Assert.Equal(4, transform.MaskLength);
        var (truncated, padded) = (0, 0);
        for (var batchIndex = 0; batchIndex < 50; batchIndex++)
        {
            var counts = AssertWellFormed(Transform(transform, new BatchOrigin(5, 0, batchIndex)), NItems);
            truncated += counts.Count(c => c > transform.MaskLength);
            padded += counts.Count(c => c < transform.MaskLength);
        }
        Assert.True(truncated > 0 && padded > 0, $"{truncated} truncated and {padded} padded rows");
    }

    [Fact]
    public void The_mask_last_branch_masks_only_each_last_item()
    {
        var transform = new MaskItemSequence(NItems, Length, maskRatio: 0.2, ftRatio: 1);
        var m = Transform(transform, new BatchOrigin(5, 2, 7));

        Assert.All(AssertWellFormed(m, NItems), count => Assert.Equal(1, count));
        for (var row = 0; row < m.Rows; row++)
        {
            var last = (int)m.Lens[row] - 1;
            Assert.Equal(NItems, m.Sequence[row * m.Width + last]);
            Assert.Equal(last, m.Index[row * m.M + m.M - 1]);
            Assert.Equal(m.Items[row * m.Width + last], m.Pos[row * m.M + m.M - 1]);
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    public void The_mask_last_branch_is_taken_in_about_ft_ratio_of_the_batches(double ftRatio)
    {
        // With mask_ratio 1 the random branch masks every item, so the first row (8 items) tells the branches apart.
        var transform = new MaskItemSequence(NItems, Length, maskRatio: 1, ftRatio: ftRatio);
        const int batches = 1000;
        var maskLast = 0;
        for (var batchIndex = 0; batchIndex < batches; batchIndex++)
        {
            var m = Transform(transform, new BatchOrigin(9, 1, batchIndex));
            var masked = m.Sequence.Take(Length).Count(item => item == NItems);
            Assert.True(masked is 1 or Length, $"batch {batchIndex}: {masked} masked items");
            if (masked == 1) maskLast++;
        }
        Assert.InRange(maskLast / (double)batches, ftRatio - 0.05, ftRatio + 0.05);
    }

    [Fact]
    public void The_same_origin_gives_the_same_batch_and_another_batch_or_epoch_another()
    {
        var transform = new MaskItemSequence(NItems, Length, maskRatio: 0.3, ftRatio: 0.5);
        static long[] All(Masked m) => [.. m.Sequence, .. m.Pos, .. m.Neg, .. m.Index];

        var first = All(Transform(transform, new BatchOrigin(5, 3, 4)));
        Assert.Equal(first, All(Transform(new MaskItemSequence(NItems, Length, 0.3, 0.5), new BatchOrigin(5, 3, 4))));
        Assert.NotEqual(first, All(Transform(transform, new BatchOrigin(5, 3, 5))));
        Assert.NotEqual(first, All(Transform(transform, new BatchOrigin(5, 4, 4))));
        Assert.NotEqual(first, All(Transform(transform, new BatchOrigin(6, 3, 4))));
    }

    [Fact]
    public void Negatives_avoid_every_item_of_the_sequence_even_when_few_remain()
    {
        // 9 real items, rows of 8 distinct ones: only one item is ever a valid negative for a full row.
        var transform = new MaskItemSequence(nItems: 10, maxSeqLength: 8, maskRatio: 1, ftRatio: 0);
        using var batch = new Batch(tensor(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2 }, [2, 8]), tensor(new long[] { 8, 8 }),
            tensor(new long[] { 1, 1 }), [0, 1]);
        transform.Apply(batch, new BatchOrigin(1, 0, 0));

        Assert.Equal(Enumerable.Repeat(9L, 8).Concat(Enumerable.Repeat(1L, 8)), batch.Get(MaskItemSequence.NegItems).data<long>().ToArray());
    }

    [Fact]
    public void A_mask_length_below_one_is_refused()
    {
        var error = Assert.Throws<SeqRecException>(() => new MaskItemSequence(NItems, maxSeqLength: 4, maskRatio: 0.2, ftRatio: 0.5));
        Assert.Contains("mask_ratio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transform_of_a_full_batch_takes_milliseconds()
    {
        const int rows = 2048, width = 50;
        var transform = new MaskItemSequence(1683, width, maskRatio: 0.2, ftRatio: 0.5);
        var lengths = Enumerable.Range(0, rows).Select(i => 1 + i * 7 % width).ToArray();
        using var batch = TinyModels.Batch(1683, width, lengths);
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var clock = Stopwatch.StartNew();
            transform.Apply(batch, new BatchOrigin(1, 0, i));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"B {rows} x L {width}: median {times[10]:F2} ms, fastest {times[0]:F2} ms");
        Assert.True(times[10] < 50, $"median {times[10]:F2} ms");
    }

    [Theory]
    [InlineData("bert4rec-defaults.json")]
    [InlineData("bert4rec-1layer-4heads-relu-bpr-masklast.json")]
    public void The_evaluation_input_is_the_reference_reconstruction_and_forward_masked_is_checked(string file)
    {
        var path = Path.Combine(TestPaths.ZooParityDir, file);
        var fixture = ParityFixture.Load(path);
        using var model = (Bert4Rec)ParityCheck.Build(fixture, TinyModels.Info("bert4rec"), "CE", withoutRegularisation: false);
        using var batch = ParityCheck.BatchOf(fixture);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var expected = document.RootElement.GetProperty("intermediates").GetProperty("reconstructed_item_seq").GetProperty("data")
            .EnumerateArray().Select(e => e.GetInt64()).ToArray();

        Assert.Equal(expected, model.TestSequence(batch.ItemSeq, batch.ItemSeqLen).data<long>().ToArray());

        var result = ParityCheck.Run(fixture, TinyModels.Registry);
        Assert.Equal(ParityStatus.Passed, result.Status);
        Assert.Contains(result.Comparisons, c => c.Output == "forward_masked");
        Assert.Empty(result.Unchecked);
    }

    [Theory]
    [InlineData(false, new long[] { 2, 3, 10, 0, 2, 3, 4, 10, 10, 0, 0, 0 }, new long[] { 2, 3, 0 })]
    [InlineData(true, new long[] { 1, 2, 3, 10, 2, 3, 4, 10, 1, 10, 0, 0 }, new long[] { 3, 3, 1 })]
    public void The_evaluation_input_drops_the_first_item_unless_keep_first_item(bool keepFirstItem, long[] expected, long[] tokenAt)
    {
        manual_seed(4);
        using var model = new Bert4Rec(new Bert4RecConfig { HiddenSize = 8, InnerSize = 16, MaskRatio = 0.5, KeepFirstItem = keepFirstItem },
            new ModelContext(10, 4, 0));
        model.eval();
        using var batch = new Batch(tensor(new long[] { 1, 2, 3, 0, 1, 2, 3, 4, 1, 0, 0, 0 }, [3, 4]), tensor(new long[] { 3, 4, 1 }), tensor(new long[] { 5, 6, 7 }), [0, 1, 2]);
        using var noGrad = no_grad();

        using var sequence = model.TestSequence(batch.ItemSeq, batch.ItemSeqLen);
        Assert.Equal(expected, sequence.data<long>().ToArray());

        // Full-sort scores read the encoder output at the mask token.
        using var all = model.Encode(sequence);
        using var atToken = all.gather(1, tensor(tokenAt).view(3, 1, 1).expand(3, 1, 8)).squeeze(1);
        var weights = model.state_dict();
        using var reference = atToken.matmul(weights["item_embedding.weight"].narrow(0, 0, 10).t()) + weights["output_bias"];
        using var scores = model.FullSortScores(batch);
        Assert.True(scores.allclose(reference, rtol: 1e-5, atol: 1e-6), $"differ by {(scores - reference).abs().max().item<float>()}");
        using var predicted = model.Predict(batch, batch.PosItems);
        using var column = scores.gather(1, batch.PosItems.view(3, 1)).squeeze(1);
        Assert.True(predicted.allclose(column, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_batch_without_a_predicted_position_has_a_zero_loss()
    {
        manual_seed(4);
        using var model = new Bert4Rec(new Bert4RecConfig { HiddenSize = 8, InnerSize = 16, MaskRatio = 0.5 }, new ModelContext(10, 4, 0));
        using var batch = new Batch(tensor(new long[] { 10, 0, 0, 0 }, [1, 4]), tensor(new long[] { 1 }), tensor(new long[] { 5 }), [0]);
        batch.Set(MaskItemSequence.MaskedItemSeq, tensor(new long[] { 10, 0, 0, 0 }, [1, 4]));
        foreach (var name in new[] { MaskItemSequence.PosItems, MaskItemSequence.NegItems, MaskItemSequence.MaskIndex })
            batch.Set(name, zeros(1, 2, ScalarType.Int64));

        using var loss = model.CalculateLoss(batch).Total;
        loss.backward();

        Assert.Equal(0f, loss.item<float>());
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.3)]
    [InlineData(true, 0.3)]
    public void The_fused_attention_probabilities_of_a_bidirectional_mask_equal_autograd_over_the_dense_mask(bool oneRowPerSequence, double p)
    {
        long[] items = [5, 3, 8, 1, 9, 9, 2, 7, 4, 6, 2, 0, 0, 4, 10, 6, 2, 8, 1, 3, 5, 7, 9, 1, 10, 3, 7, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        const int rows = 3, length = 13, headSize = 4;
        manual_seed(21);
        using var scope = NewDisposeScope();
        using var itemSeq = tensor(items, [rows, length]);
        using var full = CausalPaddingMask.Bidirectional(itemSeq);
        using var at = tensor(new long[] { 10, 12, 1 });
        using var rowMask = oneRowPerSequence ? full.AtRows(at) : null;
        var mask = rowMask ?? full;
        Assert.False(mask.Causal);
        var queries = randn(rows, oneRowPerSequence ? 1 : length, headSize).requires_grad_();
        var keys = randn(rows, length, headSize).requires_grad_();
        var upstream = randn(rows, queries.shape[1], length);
        var scale = 1 / Math.Sqrt(headSize);
        using var dropout = new HashedDropout(p);
        dropout.train();

        manual_seed(8);
        var fused = AttentionProbabilities.Apply(queries, keys, mask.Key, mask.QueryPositions, scale, dropout.NextDraw(), causal: false);
        fused.mul(upstream).sum().backward();
        var (fusedQueries, fusedKeys) = (queries.grad!.clone(), keys.grad!.clone());
        queries.grad!.zero_();
        keys.grad!.zero_();

        manual_seed(8);
        var keep = dropout.KeepMask([rows, queries.shape[1], length], CPU);
        var composed = queries.bmm(keys.transpose(1, 2)).mul(scale).add(mask.Dense().squeeze(1)).softmax(-1)
            .mul(keep).mul(p == 0 ? 1.0 : 1 / (1 - p));
        composed.mul(upstream).sum().backward();

        // Keys after the query are visible: row 0's first query attends to its last real key.
        Assert.True(fused[0, 0, 10].item<float>() > 0 || p > 0);
        Assert.True(fused.allclose(composed, rtol: 1e-5, atol: 1e-6), "probabilities differ");
        Assert.True(fusedQueries.allclose(queries.grad!, rtol: 1e-4, atol: 1e-6), "query gradients differ");
        Assert.True(fusedKeys.allclose(keys.grad!, rtol: 1e-4, atol: 1e-6), "key gradients differ");
    }

    // Resume: a tiny BERT4Rec trained by the trainer on batches masked by its own transform.

    private const long Seed = 11;
    private static readonly SyntheticData Data = SyntheticData.Create(users: 30, nItems: 20);
    private static readonly TrainerConfig Config = new() { Epochs = 3, TrainBatchSize = 8, LearningRate = 0.01, StoppingStep = 100, Seed = Seed };

    private static Bert4Rec NewModel(long seed)
    {
        manual_seed(seed);
        return new Bert4Rec(new Bert4RecConfig { NumLayers = 1, HiddenSize = 8, InnerSize = 16, MaskRatio = 0.5 }, new ModelContext(Data.NItems, Data.MaxSeqLength, 0));
    }

    private static TrainingData DataFor(Bert4Rec model) => new(
        Data.Train,
        epoch => new TrainBatchSampler(Data.Train, Config.TrainBatchSize, Seed, Data.NItems).Epoch(epoch, model.Needs),
        Data.Valid,
        Data.Test,
        samples => SyntheticData.EvalBatches(samples, 16));

    private static Dictionary<string, float[]> Weights(Bert4Rec model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [Fact]
    public void A_run_interrupted_mid_epoch_resumes_to_exactly_the_uninterrupted_result()
    {
        using var harness = new TrainingHarness();
        TrainingResult expected;
        Dictionary<string, float[]> expectedWeights;
        using (var model = NewModel(Seed))
        {
            expected = new Trainer(model, Config, TrainingHarness.Evaluator()).Fit(DataFor(model), harness.Outputs("uninterrupted"));
            expectedWeights = Weights(model);
        }
        Assert.NotEqual(expected.History[0].Loss, expected.History[^1].Loss);
        Assert.All(expected.History, e => Assert.True(double.IsFinite(e.Loss), $"epoch {e.Epoch}: loss {e.Loss}"));

        using (var model = NewModel(Seed))
        using (var cancel = new CancellationTokenSource())
        {
            var observer = new RecordingObserver { OnBatch = p => { if (p.Epoch == 1 && p.Batch == 2) cancel.Cancel(); } };
            var trainer = new Trainer(model, Config, TrainingHarness.Evaluator(), observer);
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(DataFor(model), harness.Outputs("interrupted"), cancellation: cancel.Token));
        }

        using var resumedModel = NewModel(Seed + 1);
        var resumedObserver = new RecordingObserver();
        var resumed = new Trainer(resumedModel, Config, TrainingHarness.Evaluator(), resumedObserver)
            .Fit(DataFor(resumedModel), harness.Outputs("interrupted"), resume: true);

        Assert.Equal([1, 2], resumedObserver.Epochs.Select(e => e.Epoch));
        Assert.Equal(expected.History.Select(e => e.Loss), resumed.History.Select(e => e.Loss));
        Assert.Equal(expected.History.Select(e => e.ValidMetrics!.ToArray()), resumed.History.Select(e => e.ValidMetrics!.ToArray()));
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.Test.ToArray(), resumed.Test.ToArray());
        var weights = Weights(resumedModel);
        foreach (var (name, values) in expectedWeights) Assert.Equal(values, weights[name]);
    }
}

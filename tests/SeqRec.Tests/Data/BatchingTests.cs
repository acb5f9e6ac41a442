using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp;
using Xunit;

namespace SeqRec.Tests.Data;

public sealed class BatchingTests
{
    private const int MaxLength = 4;

    /// <summary>20 users with 3..9 interactions over 12 items; 20·(n-3) train samples.</summary>
    private static (SplitSequences Split, int NItems) Synthetic()
    {
        var users = new List<int>();
        var items = new List<int>();
        var times = new List<double>();
        for (var u = 1; u <= 20; u++)
        {
            var count = 3 + u % 7;
            for (var t = 0; t < count; t++)
            {
                users.Add(u);
                items.Add(1 + (u * 7 + t * 5) % 12);
                times.Add(t);
            }
        }
        return (SequenceSplitter.Split([.. users], [.. items], [.. times], 21, MaxLength, SplitMode.ValidAndTest, TimeOrder.Exact), 13);
    }

    [Fact]
    public void Train_batches_are_padded_to_the_max_length_and_keep_the_last_partial_batch()
    {
        var (split, nItems) = Synthetic();
        var train = split.Train;
        var sampler = new TrainBatchSampler(train, 16, seed: 2020, nItems);
        var batches = sampler.Epoch(0, BatchNeeds.None).ToList();
        try
        {
            Assert.Equal(sampler.BatchCount, batches.Count);
            Assert.All(batches[..^1], b => Assert.Equal(16, b.Size));
            Assert.Equal(train.Count - 16 * (batches.Count - 1), batches[^1].Size);
            Assert.InRange(batches[^1].Size, 1, 15);
            foreach (var batch in batches)
            {
                Assert.Equal([batch.Size, MaxLength], batch.ItemSeq.shape);
                Assert.Equal(torch.ScalarType.Int64, batch.ItemSeq.dtype);
                Assert.Null(batch.NegItems);
                var seq = batch.ItemSeq.data<long>().ToArray();
                var lengths = batch.ItemSeqLen.data<long>().ToArray();
                var targets = batch.PosItems.data<long>().ToArray();
                for (var row = 0; row < batch.Size; row++)
                {
                    var sample = batch.SampleIndices[row];
                    var history = train.History(sample).ToArray();
                    Assert.Equal(history.Length, lengths[row]);
                    Assert.Equal(train.Target(sample), targets[row]);
                    var expectedRow = history.Select(i => (long)i).Concat(Enumerable.Repeat(0L, MaxLength - history.Length));
                    Assert.Equal(expectedRow, seq.Skip(row * MaxLength).Take(MaxLength));
                }
            }
            Assert.Equal(Enumerable.Range(0, train.Count), batches.SelectMany(b => b.SampleIndices).Order());
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Order_and_negatives_depend_only_on_seed_and_epoch()
    {
        var (split, nItems) = Synthetic();
        var first = new TrainBatchSampler(split.Train, 8, 7, nItems);
        var resumed = new TrainBatchSampler(split.Train, 8, 7, nItems);
        Assert.Equal(first.Order(3), resumed.Order(3));
        Assert.Equal(Negatives(first, 3), Negatives(resumed, 3));
        Assert.NotEqual(first.Order(3), first.Order(4));
        Assert.NotEqual(first.Order(3), new TrainBatchSampler(split.Train, 8, 8, nItems).Order(3));
        Assert.NotEqual(Negatives(first, 3), Negatives(first, 4));
        Assert.NotEqual(Enumerable.Range(0, split.Train.Count), first.Order(0));
    }

    private static long[] Negatives(TrainBatchSampler sampler, int epoch)
    {
        var all = new List<long>();
        foreach (var batch in sampler.Epoch(epoch, new BatchNeeds { Negatives = true }))
        {
            using (batch) all.AddRange(batch.NegItems!.data<long>().ToArray());
        }
        return [.. all];
    }

    [Fact]
    public void Negatives_are_real_items_other_than_the_target()
    {
        var (split, nItems) = Synthetic();
        var sampler = new TrainBatchSampler(split.Train, 32, 1, nItems);
        var seen = new HashSet<long>();
        for (var epoch = 0; epoch < 20; epoch++)
        {
            foreach (var batch in sampler.Epoch(epoch, new BatchNeeds { Negatives = true }))
            {
                using (batch)
                {
                    Assert.Equal([batch.Size], batch.NegItems!.shape);
                    var negatives = batch.NegItems.data<long>().ToArray();
                    var targets = batch.PosItems.data<long>().ToArray();
                    for (var i = 0; i < batch.Size; i++)
                    {
                        Assert.NotEqual(targets[i], negatives[i]);
                        Assert.InRange(negatives[i], 1, nItems - 1);
                        seen.Add(negatives[i]);
                    }
                }
            }
        }
        Assert.Equal(nItems - 1, seen.Count);
    }

    [Fact]
    public void With_two_real_items_the_negative_is_always_the_other_one()
    {
        var split = SequenceSplitter.Split([1, 1, 1, 1], [1, 2, 1, 2], [0, 1, 2, 3], 2, 3, SplitMode.ValidAndTest, TimeOrder.Exact);
        var sampler = new TrainBatchSampler(split.Train, 4, 0, 3);
        for (var i = 0; i < split.Train.Count; i++) Assert.Equal(3 - split.Train.Target(i), sampler.Negative(5, i));
    }

    [Fact]
    public void Evaluation_batches_follow_sample_order()
    {
        var (split, _) = Synthetic();
        var batches = EvalBatches.Enumerate(split.Train, 10).ToList();
        try
        {
            Assert.Equal(Enumerable.Range(0, split.Train.Count), batches.SelectMany(b => b.SampleIndices));
            Assert.All(batches[..^1], b => Assert.Equal(10, b.Size));
            Assert.All(batches, b => Assert.Equal(MaxLength, b.ItemSeq.shape[1]));
            Assert.Equal(split.Train.Targets.ToArray().Select(t => (long)t), batches.SelectMany(b => b.PosItems.data<long>().ToArray()));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Sampled_evaluation_negatives_exclude_the_target_and_do_not_depend_on_batching()
    {
        var (split, nItems) = Synthetic();
        var sampler = new NegativeSampler(nItems, 99);
        long[] Draw(int batchSize)
        {
            var all = new List<long>();
            foreach (var batch in EvalBatches.Enumerate(split.Train, batchSize))
            {
                using (batch)
                using (var negatives = sampler.Sample(split.Train, batch, 30))
                {
                    Assert.Equal([batch.Size, 30], negatives.shape);
                    var values = negatives.data<long>().ToArray();
                    for (var row = 0; row < batch.Size; row++)
                    {
                        var target = split.Train.Target(batch.SampleIndices[row]);
                        Assert.All(values.Skip(row * 30).Take(30), v => { Assert.NotEqual(target, v); Assert.InRange(v, 1, nItems - 1); });
                    }
                    all.AddRange(values);
                }
            }
            return [.. all];
        }
        Assert.Equal(Draw(7), Draw(64));
        var seed99 = new long[30];
        var seed100 = new long[30];
        sampler.Fill(0, split.Train.Target(0), seed99);
        new NegativeSampler(nItems, 100).Fill(0, split.Train.Target(0), seed100);
        Assert.NotEqual(seed99, seed100);
    }

    [Fact]
    public void Stable_random_is_uniform_enough_and_reproducible()
    {
        var a = StableRandom.Derive(1, 2, 3);
        var b = StableRandom.Derive(1, 2, 3);
        var counts = new int[10];
        for (var i = 0; i < 100_000; i++)
        {
            var value = a.NextInt(10);
            Assert.Equal(value, b.NextInt(10));
            counts[value]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}

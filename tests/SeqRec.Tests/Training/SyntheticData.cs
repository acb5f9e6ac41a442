using SeqRec.Data;
using SeqRec.Modeling;

namespace SeqRec.Tests.Training;

/// <summary>
/// Tiny synthetic sequences with leave-one-out splits, batched by the real data pipeline.
/// </summary>
internal sealed class SyntheticData
{
    private SyntheticData(int nItems, int maxSeqLength, SampleSet train, SampleSet valid, SampleSet test)
    {
        NItems = nItems;
        MaxSeqLength = maxSeqLength;
        Train = train;
        Valid = valid;
        Test = test;
    }

    public int NItems { get; }
    public int MaxSeqLength { get; }
    public SampleSet Train { get; }
    public SampleSet Valid { get; }
    public SampleSet Test { get; }

    /// <summary>Users walk mostly item → item + 1 (so there is something to learn), sometimes jump at random.</summary>
    public static SyntheticData Create(int users = 24, int nItems = 16, int maxSeqLength = 6, int seed = 7)
    {
        var random = new Random(seed);
        var builders = new[] { new Builder(), new Builder(), new Builder() };
        for (var user = 1; user <= users; user++)
        {
            var length = random.Next(4, 12);
            var items = new int[length];
            items[0] = random.Next(1, nItems);
            for (var t = 1; t < length; t++)
                items[t] = random.NextDouble() < 0.8 ? items[t - 1] % (nItems - 1) + 1 : random.Next(1, nItems);
            for (var t = 1; t < length; t++)
            {
                var split = t == length - 1 ? 2 : t == length - 2 ? 1 : 0;
                var start = Math.Max(0, t - maxSeqLength);
                builders[split].Add(items.AsSpan(start, t - start), items[t], user);
            }
        }
        return new SyntheticData(nItems, maxSeqLength, builders[0].Build(maxSeqLength), builders[1].Build(maxSeqLength), builders[2].Build(maxSeqLength));
    }

    /// <summary>Training batches from the real sampler: shuffled by (seed, epoch), no negatives.</summary>
    public IEnumerable<Batch> TrainBatches(int epoch, int batchSize, long seed) =>
        new TrainBatchSampler(Train, batchSize, seed, NItems).Epoch(epoch, BatchNeeds.None);

    /// <summary>Evaluation batches from the real pipeline, in sample order.</summary>
    public static IEnumerable<Batch> EvalBatches(SampleSet samples, int batchSize) => SeqRec.Data.EvalBatches.Enumerate(samples, batchSize);

    /// <summary>A sample set from explicit histories and targets.</summary>
    public static SampleSet Samples(int maxSeqLength, params (int[] History, int Target)[] samples)
    {
        var builder = new Builder();
        for (var i = 0; i < samples.Length; i++) builder.Add(samples[i].History, samples[i].Target, i + 1);
        return builder.Build(maxSeqLength);
    }

    private sealed class Builder
    {
        private readonly List<int> _items = [];
        private readonly List<int> _starts = [];
        private readonly List<int> _lengths = [];
        private readonly List<int> _targets = [];
        private readonly List<int> _users = [];

        public void Add(ReadOnlySpan<int> history, int target, int user)
        {
            _starts.Add(_items.Count);
            _lengths.Add(history.Length);
            foreach (var item in history) _items.Add(item);
            _targets.Add(target);
            _users.Add(user);
        }

        public SampleSet Build(int maxSeqLength) =>
            new([.. _items], [.. _starts], [.. _lengths], [.. _targets], [.. _users], maxSeqLength);
    }
}

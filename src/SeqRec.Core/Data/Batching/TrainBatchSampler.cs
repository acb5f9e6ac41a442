using SeqRec.Modeling;

namespace SeqRec.Data;

/// <summary>
/// Training batches: each epoch visits the samples in a shuffled order and, when the model needs negatives (BPR), draws
/// one uniform negative per sample from 1..nItems-1 that differs from the target; user ids and the model's training
/// transform as its <see cref="BatchNeeds"/> ask. Order, negatives and transforms depend only on (seed, epoch, batch),
/// so a run resumed at an epoch sees exactly the data it would have seen. The last partial batch is kept.
/// </summary>
public sealed class TrainBatchSampler
{
    private const long ShuffleStream = 1;
    private const long NegativeStream = 2;

    private readonly SampleSet _train;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly int _nItems;

    /// <param name="nItems">Items including padding (the model's n_items).</param>
    public TrainBatchSampler(SampleSet train, int batchSize, long seed, int nItems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nItems, 2);
        _train = train;
        _batchSize = batchSize;
        _seed = seed;
        _nItems = nItems;
    }

    public int BatchCount => (_train.Count + _batchSize - 1) / _batchSize;

    /// <summary>The sample order of <paramref name="epoch"/>: a Fisher-Yates shuffle seeded by (seed, epoch).</summary>
    public int[] Order(int epoch)
    {
        var order = new int[_train.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var random = StableRandom.Derive(_seed, ShuffleStream, epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The negative of sample <paramref name="sampleIndex"/> in <paramref name="epoch"/>.</summary>
    public int Negative(int epoch, int sampleIndex)
    {
        if (_nItems < 3)
            throw new SeqRecException($"BPR negatives need at least two real items besides padding; the dataset has {_nItems - 1}");
        var random = StableRandom.Derive(_seed, NegativeStream, epoch, sampleIndex);
        var target = _train.Target(sampleIndex);
        while (true)
        {
            var candidate = 1 + random.NextInt(_nItems - 1);
            if (candidate != target) return candidate;
        }
    }

    /// <summary>The batches of <paramref name="epoch"/>; each must be disposed by the consumer.</summary>
    public IEnumerable<Batch> Epoch(int epoch, BatchNeeds needs)
    {
        var order = Order(epoch);
        var index = 0;
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            var indices = order[start..Math.Min(start + _batchSize, order.Length)];
            long[]? negatives = null;
            if (needs.Negatives)
            {
                negatives = new long[indices.Length];
                for (var i = 0; i < indices.Length; i++) negatives[i] = Negative(epoch, indices[i]);
            }
            var batch = BatchBuilder.Build(_train, indices, negatives, needs.UserIds);
            needs.TrainingTransform?.Apply(batch, new BatchOrigin(_seed, epoch, index++));
            yield return batch;
        }
    }
}

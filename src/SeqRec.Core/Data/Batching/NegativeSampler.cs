using static TorchSharp.torch;

namespace SeqRec.Data;

/// <summary>
/// Uniform negatives for sampled evaluation (<c>uniN</c>): N items per sample drawn from 1..nItems-1, never the
/// sample's target (drawn with replacement, as RecBole). Sample i's negatives depend only on (seed, i), so they do not
/// change with the batch size or order; use a different seed per split if valid and test should differ.
/// </summary>
public sealed class NegativeSampler
{
    private const long Stream = 3;

    private readonly int _nItems;
    private readonly long _seed;

    /// <param name="nItems">Items including padding (the model's n_items).</param>
    public NegativeSampler(int nItems, long seed)
    {
        if (nItems < 3)
            throw new SeqRecException($"sampled evaluation needs at least two real items besides padding; the dataset has {nItems - 1}");
        _nItems = nItems;
        _seed = seed;
    }

    /// <summary>Writes <paramref name="destination"/>.Length negatives of one sample.</summary>
    public void Fill(int sampleIndex, int target, Span<long> destination)
    {
        var random = StableRandom.Derive(_seed, Stream, sampleIndex);
        for (var i = 0; i < destination.Length; i++)
        {
            int candidate;
            do candidate = 1 + random.NextInt(_nItems - 1);
            while (candidate == target);
            destination[i] = candidate;
        }
    }

    /// <summary>[B, <paramref name="count"/>] int64 negatives for the rows of <paramref name="batch"/> from <paramref name="set"/>.</summary>
    public Tensor Sample(SampleSet set, Batch batch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var negatives = new long[batch.Size * count];
        for (var row = 0; row < batch.Size; row++)
        {
            var sample = batch.SampleIndices[row];
            Fill(sample, set.Target(sample), negatives.AsSpan(row * count, count));
        }
        return tensor(negatives, [batch.Size, count]);
    }
}

using SeqRec.Data;
using static TorchSharp.torch;

namespace SeqRec.Evaluation;

/// <summary>
/// Draws the N negatives of <c>uniN</c> evaluation: uniform over the real items 1..n_items-1, with replacement,
/// never the sample's target (and, with <paramref name="excludeHistory"/>, never an item of its history). Each
/// sample's negatives depend only on (seed, sample index, target), so they are the same whatever the batch size,
/// in every epoch and after a resume.
/// </summary>
public sealed class UniformEvalNegatives(int nItems, int count, long seed, bool excludeHistory)
{
    /// <summary>The negatives of the samples <paramref name="sampleIndices"/> of <paramref name="samples"/>: [B, N] int64.</summary>
    public Tensor Sample(SampleSet samples, IReadOnlyList<int> sampleIndices)
    {
        var negatives = new long[sampleIndices.Count * count];
        for (var row = 0; row < sampleIndices.Count; row++)
        {
            var index = sampleIndices[row];
            Fill(negatives.AsSpan(row * count, count), index, samples.Target(index), excludeHistory ? samples.History(index) : []);
        }
        return tensor(negatives, [sampleIndices.Count, count]);
    }

    private void Fill(Span<long> destination, int sampleIndex, int target, ReadOnlySpan<int> history)
    {
        var excluded = new HashSet<int>(history.Length + 1) { target };
        foreach (var item in history)
        {
            if (item > 0 && item < nItems) excluded.Add(item);
        }
        var realItems = nItems - 1;
        if (realItems - excluded.Count <= 0)
            throw new SeqRecException($"eval.mode: uni{count} cannot draw negatives for sample {sampleIndex}: every one of the {realItems} items is its target or in its history");

        var random = new StableRandom(Mix(seed, sampleIndex, target));
        for (var i = 0; i < destination.Length; i++)
        {
            int item;
            do item = 1 + (int)NextBelow(ref random, (ulong)realItems);
            while (excluded.Contains(item));
            destination[i] = item;
        }
    }

    private static ulong Mix(long seed, int sampleIndex, int target) =>
        StableRandom.SplitMix((ulong)seed) ^ ((ulong)(uint)sampleIndex << 32 | (uint)target);

    /// <summary>Uniform in [0, bound) by the multiply-high method (bias at most bound / 2^64).</summary>
    private static ulong NextBelow(ref StableRandom random, ulong bound) => (ulong)(((UInt128)random.NextUInt64() * bound) >> 64);
}

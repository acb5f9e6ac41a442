namespace SeqRec.Evaluation;

/// <summary>
/// How often each item is the target of a training sample: RecBole's <c>data.count_items</c>, the item counter of
/// its augmented training set (one row per training sample, so a user's first item and the valid and test targets
/// do not count). Items that are never a training target are absent from RecBole's counter, which matters to the
/// long-tail set of TailPercentage.
/// </summary>
public sealed class ItemPopularity
{
    private readonly long[] _counts;

    /// <param name="nItems">Item vocabulary size including the padding item 0 (RecBole's <c>data.num_items</c>).</param>
    /// <param name="trainTargets">The target item of every training sample.</param>
    public ItemPopularity(int nItems, ReadOnlySpan<int> trainTargets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nItems, 1);
        NItems = nItems;
        _counts = new long[nItems];
        foreach (var item in trainTargets)
        {
            if ((uint)item >= (uint)nItems) throw new ArgumentOutOfRangeException(nameof(trainTargets), item, $"item ids run from 0 to {nItems - 1}");
            _counts[item]++;
        }
    }

    public int NItems { get; }

    /// <summary>Training samples whose target is <paramref name="item"/>.</summary>
    public long Count(int item) => _counts[item];

    /// <summary>
    /// RecBole's long-tail items for TailPercentage: with <paramref name="tailRatio"/> above 1, the items counted at
    /// most that many times; otherwise the first max(⌊n·ratio⌋, 1) of the n counted items ordered by (count, id).
    /// Only items counted at least once are candidates.
    /// </summary>
    public bool[] TailItems(double tailRatio)
    {
        if (!(tailRatio > 0)) throw new ArgumentOutOfRangeException(nameof(tailRatio), tailRatio, "must be above 0");
        var tail = new bool[NItems];
        var counted = Enumerable.Range(0, NItems).Where(item => _counts[item] > 0);
        if (tailRatio > 1)
        {
            foreach (var item in counted)
                tail[item] = _counts[item] <= tailRatio;
            return tail;
        }
        var ordered = counted.OrderBy(item => _counts[item]).ThenBy(item => item).ToArray();
        var cut = Math.Max((int)(ordered.Length * tailRatio), 1);
        foreach (var item in ordered.Take(cut)) tail[item] = true;
        return tail;
    }
}

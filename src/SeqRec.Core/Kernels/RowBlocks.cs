namespace SeqRec.Kernels;

/// <summary>Splits a leading axis of <c>count</c> rows into consecutive blocks of at most <c>perBlock</c> rows.</summary>
internal static class RowBlocks
{
    public static IEnumerable<(long Start, long Count)> Of(long count, long perBlock)
    {
        perBlock = Math.Max(1, perBlock);
        for (long start = 0; start < count; start += perBlock) yield return (start, Math.Min(perBlock, count - start));
    }
}

using System.Runtime.CompilerServices;

namespace SeqRec.Data;

/// <summary>Stable sorting by a key array on top of the runtime's fast (unstable) primitive sort.</summary>
internal static class StableSort
{
    /// <summary>The indices 0..n-1 ordered by <paramref name="keys"/>; equal keys keep ascending index order. NaN keys come first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] OrderByKey(double[] keys)
    {
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var sortedKeys = (double[])keys.Clone();
        Array.Sort(sortedKeys, order);
        // The primitive sort is unstable: put each run of equal keys back in index order.
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && sortedKeys[end].Equals(sortedKeys[start])) end++;
            if (end - start > 1) Array.Sort(order, start, end - start);
            start = end;
        }
        return order;
    }
}

using System.Runtime.CompilerServices;
using SeqRec.Configuration;
using SeqRec.Data.Atomic;

namespace SeqRec.Data.Filtering;

/// <summary>
/// RecBole's interaction filters, in its order: missing ids, duplicates, value intervals, k-core. Each takes the
/// kept rows (indices into the loaded table, in their current order) and returns the rows it keeps.
/// </summary>
public static class InteractionFilters
{
    /// <summary>Rows whose user and item are both present; with <paramref name="drop"/> off a missing id is an error.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] DropMissingIds(AtomicTable table, int[] rows, TokenColumn users, TokenColumn items, bool drop)
    {
        var kept = new List<int>(rows.Length);
        foreach (var row in rows)
        {
            var missing = users.Codes[row] == TokenColumn.Missing ? users.Field : items.Codes[row] == TokenColumn.Missing ? items.Field : null;
            if (missing is null)
            {
                kept.Add(row);
                continue;
            }
            if (!drop)
                throw new SeqRecException($"{table.Where(row, missing)}: the id is empty; set [data] drop_missing_ids = true to skip such rows");
        }
        return kept.Count == rows.Length ? rows : [.. kept];
    }

    /// <summary>
    /// RecBole's <c>rm_dup_inter</c>: order the rows by time (when there is a time column), then keep the first or
    /// last interaction of each user-item pair. The rows stay ordered by time, which later decides the id order.
    /// RecBole sorts with an unstable sort here; this sort is stable, so equal times keep file order.
    /// </summary>
    public static int[] RemoveDuplicates(int[] rows, TokenColumn users, TokenColumn items, FloatColumn? time, DuplicateRemoval keep)
    {
        if (keep == DuplicateRemoval.None) return rows;
        var ordered = time is null ? rows : StableSortByValue(rows, time.Values);
        var seen = new HashSet<long>(ordered.Length);
        var keepRow = new bool[ordered.Length];
        for (var k = 0; k < ordered.Length; k++)
        {
            var i = keep == DuplicateRemoval.First ? k : ordered.Length - 1 - k;
            var row = ordered[i];
            keepRow[i] = seen.Add(((long)users.Codes[row] << 32) | (uint)items.Codes[row]);
        }
        var kept = new List<int>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (keepRow[i]) kept.Add(ordered[i]);
        }
        return [.. kept];
    }

    /// <summary>Rows whose value lies in the intervals (RecBole's <c>val_interval</c>); an empty value never does.</summary>
    public static int[] KeepValuesWithin(int[] rows, FloatColumn column, IntervalSet intervals) =>
        [.. rows.Where(row => intervals.Contains(column.Values[row]))];

    /// <summary>
    /// RecBole's iterative k-core (<c>user_inter_num_interval</c>, <c>item_inter_num_interval</c>): repeatedly ban
    /// every user and item whose current interaction count is outside its interval (both judged on the same counts),
    /// drop their interactions, and recount, until nothing is banned. A null interval does not filter that side.
    /// </summary>
    public static int[] KCore(int[] rows, TokenColumn users, TokenColumn items, IntervalSet? userIntervals, IntervalSet? itemIntervals)
    {
        if (userIntervals is null && itemIntervals is null) return rows;
        var userCounts = Count(rows, users);
        var itemCounts = Count(rows, items);
        var alive = new bool[rows.Length];
        Array.Fill(alive, true);
        while (true)
        {
            var bannedUsers = Banned(userCounts, userIntervals);
            var bannedItems = Banned(itemCounts, itemIntervals);
            if (bannedUsers is null && bannedItems is null) break;
            for (var i = 0; i < rows.Length; i++)
            {
                if (!alive[i]) continue;
                var user = users.Codes[rows[i]];
                var item = items.Codes[rows[i]];
                if ((bannedUsers?[user] ?? false) || (bannedItems?[item] ?? false))
                {
                    alive[i] = false;
                    userCounts[user]--;
                    itemCounts[item]--;
                }
            }
        }
        var kept = new List<int>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            if (alive[i]) kept.Add(rows[i]);
        }
        return [.. kept];
    }

    private static int[] Count(int[] rows, TokenColumn column)
    {
        var counts = new int[column.Tokens.Length];
        foreach (var row in rows) counts[column.Codes[row]]++;
        return counts;
    }

    /// <summary>Ids (with at least one interaction left) whose count is outside the intervals; null when none is.</summary>
    private static bool[]? Banned(int[] counts, IntervalSet? intervals)
    {
        if (intervals is null) return null;
        bool[]? banned = null;
        for (var id = 0; id < counts.Length; id++)
        {
            if (counts[id] > 0 && !intervals.Contains(counts[id])) (banned ??= new bool[counts.Length])[id] = true;
        }
        return banned;
    }

    private static int[] StableSortByValue(int[] rows, double[] values)
    {
        var keys = new double[rows.Length];
        for (var i = 0; i < keys.Length; i++) keys[i] = values[rows[i]];
        var positions = StableSort.OrderByKey(keys);
        var sorted = new int[rows.Length];
        for (var i = 0; i < sorted.Length; i++) sorted[i] = rows[positions[i]];
        return sorted;
    }
}

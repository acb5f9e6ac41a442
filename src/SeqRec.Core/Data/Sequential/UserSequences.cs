namespace SeqRec.Data;

/// <summary>
/// Every user's items in time order, stored back to back in one array: user u's items are
/// <c>Items[Offsets[u]..Offsets[u + 1]]</c>. Sample histories are slices of the same array.
/// </summary>
public sealed class UserSequences
{
    public UserSequences(int[] items, int[] offsets)
    {
        if (offsets.Length == 0 || offsets[^1] != items.Length)
            throw new ArgumentException("offsets must end at the item count", nameof(offsets));
        Items = items;
        Offsets = offsets;
    }

    internal int[] Items { get; }
    internal int[] Offsets { get; }

    /// <summary>Users including the padding user 0 (who has no items).</summary>
    public int UserCount => Offsets.Length - 1;

    /// <summary>User <paramref name="userId"/>'s whole time-ordered item sequence.</summary>
    public ReadOnlySpan<int> Sequence(int userId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(userId, UserCount);
        return Items.AsSpan(Offsets[userId], Offsets[userId + 1] - Offsets[userId]);
    }
}

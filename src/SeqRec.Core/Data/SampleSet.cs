namespace SeqRec.Data;

/// <summary>
/// The samples of one split: history → target. Histories are stored as (start, length) slices of one shared item
/// array, so memory stays proportional to the data (no list per sample). Item ids are remapped ids (0 = padding).
/// </summary>
public sealed class SampleSet
{
    private readonly int[] _items;
    private readonly int[] _historyStart;
    private readonly int[] _historyLength;
    private readonly int[] _targets;
    private readonly int[] _users;

    public SampleSet(int[] items, int[] historyStart, int[] historyLength, int[] targets, int[] users, int maxSeqLength)
    {
        if (historyStart.Length != targets.Length || historyLength.Length != targets.Length || users.Length != targets.Length)
            throw new ArgumentException("every per-sample array must have one entry per sample");
        _items = items;
        _historyStart = historyStart;
        _historyLength = historyLength;
        _targets = targets;
        _users = users;
        MaxSeqLength = maxSeqLength;
    }

    public int Count => _targets.Length;

    /// <summary>Longest history (MAX_ITEM_LIST_LENGTH): the width of a batch's item_seq.</summary>
    public int MaxSeqLength { get; }

    /// <summary>The (already truncated) history of sample <paramref name="index"/>, oldest first.</summary>
    public ReadOnlySpan<int> History(int index) => _items.AsSpan(_historyStart[index], _historyLength[index]);

    public int Target(int index) => _targets[index];

    public int User(int index) => _users[index];

    public ReadOnlySpan<int> Targets => _targets;

    public ReadOnlySpan<int> Users => _users;

    /// <summary>Adds every sample (user, history, target) to <paramref name="hash"/>, in order.</summary>
    public void AppendTo(System.Security.Cryptography.IncrementalHash hash)
    {
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Users));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Targets));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_historyLength.AsSpan()));
        for (var i = 0; i < Count; i++) hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(History(i)));
    }
}

namespace SeqRec.Data;

/// <summary>A prepared sequential dataset: vocabularies, counts and the leave-one-out splits.</summary>
/// <param name="sequences">
/// Every user's time-ordered items. When omitted (hand-built datasets), <see cref="LatestHistory"/> is derived from
/// each user's latest sample, which misses users with a single interaction.
/// </param>
public sealed class SequentialDataset(
    string name,
    TokenVocabulary users,
    TokenVocabulary items,
    int interactionCount,
    int maxSeqLength,
    SampleSet train,
    SampleSet valid,
    SampleSet test,
    UserSequences? sequences = null)
{
    private UserSequences? _sequences = sequences;

    public string Name { get; } = name;
    public TokenVocabulary Users { get; } = users;
    public TokenVocabulary Items { get; } = items;

    /// <summary>Users including the padding user, as RecBole counts.</summary>
    public int NUsers => Users.Count;

    /// <summary>Items including the padding item 0 (the model's n_items).</summary>
    public int NItems => Items.Count;

    public int InteractionCount { get; } = interactionCount;
    public int MaxSeqLength { get; } = maxSeqLength;
    public SampleSet Train { get; } = train;
    public SampleSet Valid { get; } = valid;
    public SampleSet Test { get; } = test;

    /// <summary>
    /// The history to recommend from for user <paramref name="userId"/>: all of the user's items (train, valid and
    /// test alike) in time order, cut to the last <see cref="MaxSeqLength"/>. Empty for a user without interactions.
    /// </summary>
    public ReadOnlySpan<int> LatestHistory(int userId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(userId, NUsers);
        var sequence = (_sequences ??= SequencesFromSamples()).Sequence(userId);
        return sequence[Math.Max(0, sequence.Length - MaxSeqLength)..];
    }

    /// <summary>All of user <paramref name="userId"/>'s items (train, valid and test alike) in time order, uncut.</summary>
    public ReadOnlySpan<int> FullHistory(int userId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(userId, NUsers);
        return (_sequences ??= SequencesFromSamples()).Sequence(userId);
    }

    /// <summary>Each user's latest sample's history plus its target: the last items of the user's sequence.</summary>
    private UserSequences SequencesFromSamples()
    {
        var latest = new (SampleSet? Set, int Index)[NUsers];
        foreach (var set in new[] { Train, Valid, Test })
        {
            for (var i = 0; i < set.Count; i++) latest[set.User(i)] = (set, i);
        }
        var offsets = new int[NUsers + 1];
        var items = new List<int>();
        for (var u = 0; u < NUsers; u++)
        {
            if (latest[u].Set is { } set)
            {
                items.AddRange(set.History(latest[u].Index));
                items.Add(set.Target(latest[u].Index));
            }
            offsets[u + 1] = items.Count;
        }
        return new UserSequences([.. items], offsets);
    }
}

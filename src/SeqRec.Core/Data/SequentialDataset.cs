namespace SeqRec.Data;

/// <summary>A prepared sequential dataset: vocabularies, counts and the leave-one-out splits.</summary>
public sealed class SequentialDataset(
    string name,
    TokenVocabulary users,
    TokenVocabulary items,
    int interactionCount,
    int maxSeqLength,
    SampleSet train,
    SampleSet valid,
    SampleSet test)
{
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
}

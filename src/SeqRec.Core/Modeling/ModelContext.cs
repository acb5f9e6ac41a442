namespace SeqRec.Modeling;

/// <summary>What a model needs to know about the data it is built for.</summary>
/// <param name="NItems">Item vocabulary size including the padding item 0 (RecBole's n_items).</param>
/// <param name="MaxSeqLength">MAX_ITEM_LIST_LENGTH: rows of the position embedding.</param>
/// <param name="NUsers">User vocabulary size including the padding user 0 (RecBole's n_users); 0 when unknown.</param>
public sealed record ModelContext(int NItems, int MaxSeqLength, int NUsers = 0);

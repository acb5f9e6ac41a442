namespace SeqRec.Configuration;

/// <summary>
/// A model section whose rules depend on the <c>[data]</c> section (e.g. k_interests against the sequence length).
/// The resolver calls it after both sections are bound.
/// </summary>
public interface IValidatesWithData
{
    void ValidateWithData(DataConfig data, ConfigErrors errors);
}

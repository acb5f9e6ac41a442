using SeqRec.Configuration;

namespace SeqRec.Models;

/// <summary>TransRec hyper-parameters (the <c>[transrec]</c> section), with RecBole's defaults. The loss is fixed.</summary>
[ConfigSection("transrec")]
public sealed partial record TransRecConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of users and items.")]
    public int EmbeddingSize { get; init; } = 64;
}

using SeqRec.Configuration;

namespace SeqRec.Models;

/// <summary>The losses RecBole's FPMC accepts: BPR only.</summary>
public enum FpmcLossType { BPR }

/// <summary>FPMC hyper-parameters (the <c>[fpmc]</c> section), with RecBole's defaults.</summary>
[ConfigSection("fpmc")]
public sealed partial record FpmcConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of users and items.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Help = "BPR against one sampled negative, the only loss FPMC is defined with.")]
    public FpmcLossType LossType { get; init; } = FpmcLossType.BPR;
}

using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>NPE hyper-parameters (the <c>[npe]</c> section), with RecBole's defaults.</summary>
[ConfigSection("npe")]
public sealed partial record NpeConfig
{
    [Param(Min = 1, Max = 65536, Help = "User and item embedding size.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the user term and on the summed history term.")]
    public double DropoutProb { get; init; } = 0.3;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

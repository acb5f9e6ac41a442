using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>SRGNN hyper-parameters (the <c>[srgnn]</c> section), with RecBole's defaults.</summary>
[ConfigSection("srgnn")]
public sealed partial record SrGnnConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size; also the size of the graph node states and the attention readout.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 64, Help = "Propagation steps of the gated graph network over each session graph.")]
    public int Step { get; init; } = 1;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>STAMP hyper-parameters (the <c>[stamp]</c> section), with RecBole's defaults.</summary>
[ConfigSection("stamp")]
public sealed partial record StampConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size; also the size of the attention and MLP layers.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

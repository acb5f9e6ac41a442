using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>Caser hyper-parameters (the <c>[caser]</c> section), with RecBole's defaults.</summary>
[ConfigSection("caser")]
public sealed partial record CaserConfig
{
    [Param(Min = 1, Max = 65536, Help = "Size of the user and item embeddings and of the sequence representation.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the concatenated convolution features, before fc1.")]
    public double DropoutProb { get; init; } = 0.4;

    [Param(Min = 0.0, Max = 1000.0, Help = "Weight of the L2 (unsquared norm) regulariser on the embeddings, the convolution filters, fc1 and fc2.")]
    public double RegWeight { get; init; } = 1e-4;

    [Param(Min = 1, Max = 4096, Help = "Vertical convolution filters (each spans the whole sequence, one embedding column).")]
    public int Nv { get; init; } = 4;

    [Param(Min = 1, Max = 4096, Help = "Horizontal convolution filters per height; there is one height for each of 1..max_item_list_length.")]
    public int Nh { get; init; } = 8;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>GRU4Rec hyper-parameters (the <c>[gru4rec]</c> section), with RecBole's defaults.</summary>
[ConfigSection("gru4rec")]
public sealed partial record Gru4RecConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size (also the size of the sequence representation).")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 65536, Help = "Hidden state size of the GRU.")]
    public int HiddenSize { get; init; } = 128;

    [Param(Min = 1, Max = 64, Help = "Stacked GRU layers.", Alias = "n_layers")]
    public int NumLayers { get; init; } = 1;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the item embeddings before the GRU.")]
    public double DropoutProb { get; init; } = 0.3;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>NARM hyper-parameters (the <c>[narm]</c> section), with RecBole's defaults.</summary>
[ConfigSection("narm")]
public sealed partial record NarmConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size (also the size of the sequence representation).")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 65536, Help = "Hidden state size of the GRU encoder.")]
    public int HiddenSize { get; init; } = 128;

    [Param(Min = 1, Max = 64, Help = "Stacked GRU layers.", Alias = "num_layers")]
    public int NLayers { get; init; } = 1;

    [Param(Help = "Two dropout rates: on the item embeddings, and on the concatenated local and global encodings.")]
    public double[] DropoutProbs { get; init; } = [0.25, 0.5];

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    partial void OnValidate(ConfigErrors errors)
    {
        if (DropoutProbs is not { Length: 2 })
            errors.Error("dropout_probs", $"needs exactly two rates (embeddings, encodings), got {DropoutProbs?.Length ?? 0}");
        else if (DropoutProbs.Any(p => p is < 0 or > 1 || double.IsNaN(p)))
            errors.Error("dropout_probs", "every rate must be in [0, 1]");
    }
}

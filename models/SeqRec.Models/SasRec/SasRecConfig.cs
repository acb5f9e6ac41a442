using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models.Layers;

namespace SeqRec.Models;

/// <summary>SASRec hyper-parameters (the <c>[sasrec]</c> section), with RecBole's defaults.</summary>
[ConfigSection("sasrec")]
public sealed partial record SasRecConfig
{
    [Param(Min = 1, Max = 64, Help = "Self-attention layers.", Alias = "n_layers")]
    public int NumLayers { get; init; } = 2;

    [Param(Min = 1, Max = 1024, Help = "Attention heads; hidden_size must be divisible by it.")]
    public int NHeads { get; init; } = 2;

    [Param(Min = 1, Max = 65536, Help = "Embedding and hidden size.")]
    public int HiddenSize { get; init; } = 64;

    [Param(Min = 1, Max = 1048576, Help = "Inner size of the feed-forward blocks.")]
    public int InnerSize { get; init; } = 256;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout after embeddings, attention output and feed-forward.")]
    public double HiddenDropoutProb { get; init; } = 0.5;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the attention probabilities.")]
    public double AttnDropoutProb { get; init; } = 0.5;

    [Param(Help = "Feed-forward activation.")]
    public Activation HiddenAct { get; init; } = Activation.Gelu;

    [Param(Min = 0.0, Max = 1.0, Help = "Epsilon of every LayerNorm.")]
    public double LayerNormEps { get; init; } = 1e-12;

    [Param(Min = 0.0, Max = 10.0, Help = "Standard deviation of the normal weight initialisation.")]
    public double InitializerRange { get; init; } = 0.02;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    /// <summary>The transformer blocks' settings.</summary>
    public TransformerSettings Transformer => new(NumLayers, NHeads, HiddenSize, InnerSize, HiddenDropoutProb, AttnDropoutProb, HiddenAct, LayerNormEps);

    partial void OnValidate(ConfigErrors errors)
    {
        if (NHeads > 0 && HiddenSize % NHeads != 0)
            errors.Error("hidden_size", $"{HiddenSize} is not divisible by n_heads ({NHeads})");
    }
}

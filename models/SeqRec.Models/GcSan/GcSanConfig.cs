using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models.Layers;

namespace SeqRec.Models;

/// <summary>GCSAN hyper-parameters (the <c>[gcsan]</c> section), with RecBole's defaults.</summary>
[ConfigSection("gcsan")]
public sealed partial record GcSanConfig
{
    [Param(Min = 0.0, Max = 1.0, Help = "Share of the self-attention output in the session representation (the rest is the last item's graph state).")]
    public double Weight { get; init; } = 0.6;

    [Param(Min = 1, Max = 64, Help = "Self-attention layers.", Alias = "num_layers")]
    public int NLayers { get; init; } = 2;

    [Param(Min = 1, Max = 1024, Help = "Attention heads; hidden_size must be divisible by it.")]
    public int NHeads { get; init; } = 2;

    [Param(Min = 1, Max = 65536, Help = "Item embedding size; also the size of the graph node states and of the self-attention.")]
    public int HiddenSize { get; init; } = 64;

    [Param(Min = 1, Max = 1048576, Help = "Inner size of the feed-forward blocks.")]
    public int InnerSize { get; init; } = 256;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout after the attention output and the feed-forward.")]
    public double HiddenDropoutProb { get; init; } = 0.5;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the attention probabilities.")]
    public double AttnDropoutProb { get; init; } = 0.5;

    [Param(Help = "Feed-forward activation.")]
    public Activation HiddenAct { get; init; } = Activation.Gelu;

    [Param(Min = 0.0, Max = 1.0, Help = "Epsilon of every LayerNorm.")]
    public double LayerNormEps { get; init; } = 1e-12;

    [Param(Min = 0.0, Max = 10.0, Help = "Standard deviation of the normal initialisation of the Linear and Embedding weights.")]
    public double InitializerRange { get; init; } = 0.02;

    [Param(Min = 1, Max = 64, Help = "Propagation steps of the gated graph network over each session graph.")]
    public int Step { get; init; } = 1;

    [Param(Min = 0.0, Max = 1000.0, Help = "Weight of the item-embedding regulariser ||item_embedding||_F / n_items.")]
    public double RegWeight { get; init; } = 5e-5;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    /// <summary>The self-attention blocks' settings.</summary>
    public TransformerSettings Transformer => new(NLayers, NHeads, HiddenSize, InnerSize, HiddenDropoutProb, AttnDropoutProb, HiddenAct, LayerNormEps);

    partial void OnValidate(ConfigErrors errors)
    {
        if (NHeads > 0 && HiddenSize % NHeads != 0)
            errors.Error("hidden_size", $"{HiddenSize} is not divisible by n_heads ({NHeads})");
    }
}

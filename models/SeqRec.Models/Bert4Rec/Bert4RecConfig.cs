using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models.Layers;

namespace SeqRec.Models;

/// <summary>BERT4Rec hyper-parameters (the <c>[bert4rec]</c> section), with RecBole's defaults.</summary>
[ConfigSection("bert4rec")]
public sealed partial record Bert4RecConfig
{
    [Param(Min = 1, Max = 64, Help = "Bidirectional self-attention layers.", Alias = "n_layers")]
    public int NumLayers { get; init; } = 2;

    [Param(Min = 1, Max = 1024, Help = "Attention heads; hidden_size must be divisible by it.")]
    public int NHeads { get; init; } = 2;

    [Param(Min = 1, Max = 65536, Help = "Embedding and hidden size.")]
    public int HiddenSize { get; init; } = 64;

    [Param(Min = 1, Max = 1048576, Help = "Inner size of the feed-forward blocks.")]
    public int InnerSize { get; init; } = 256;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout after embeddings, attention output and feed-forward.")]
    public double HiddenDropoutProb { get; init; } = 0.2;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the attention probabilities.")]
    public double AttnDropoutProb { get; init; } = 0.2;

    [Param(Help = "Feed-forward activation of the transformer layers (the output head always uses GELU).")]
    public Activation HiddenAct { get; init; } = Activation.Gelu;

    [Param(Min = 0.0, Max = 1.0, Help = "Epsilon of every LayerNorm.")]
    public double LayerNormEps { get; init; } = 1e-12;

    [Param(Min = 0.0, Max = 10.0, Help = "Standard deviation of the normal weight initialisation.")]
    public double InitializerRange { get; init; } = 0.02;

    [Param(Min = 0.0, Max = 1.0, Help = "Training: probability that an item is replaced by the mask token; at most int(mask_ratio * max_item_list_length) masked items per sequence are predicted.")]
    public double MaskRatio { get; init; } = 0.2;

    [Param(Min = 0.0, Max = 1.0, Help = "Training: probability that a batch masks only each sequence's last item instead of random items.")]
    public double FtRatio { get; init; } = 0.5;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per masked item).")]
    public LossType LossType { get; init; } = LossType.CE;

    [Param(Help = "Evaluation: keep a history's first item (RecBole 1.2.1 drops it); the mask token then follows the last item, and only full histories lose their oldest item.")]
    public bool KeepFirstItem { get; init; } = false;

    /// <summary>The transformer blocks' settings.</summary>
    public TransformerSettings Transformer => new(NumLayers, NHeads, HiddenSize, InnerSize, HiddenDropoutProb, AttnDropoutProb, HiddenAct, LayerNormEps);

    partial void OnValidate(ConfigErrors errors)
    {
        if (NHeads > 0 && HiddenSize % NHeads != 0)
            errors.Error("hidden_size", $"{HiddenSize} is not divisible by n_heads ({NHeads})");
        if (MaskRatio <= 0)
            errors.Error("mask_ratio", "must be positive: the training loss is computed only at masked items");
    }
}

using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models.Layers;

namespace SeqRec.Models;

/// <summary>The losses RecBole's CORE accepts: CE only.</summary>
public enum CoreLossType { CE }

/// <summary>How CORE weighs the session's items: a causal transformer with a linear scorer, or the plain mean.</summary>
public enum CoreDnnType { Trm, Ave }

/// <summary>CORE hyper-parameters (the <c>[core]</c> section), with RecBole's defaults.</summary>
[ConfigSection("core")]
public sealed partial record CoreConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of the items, also the transformer's hidden size.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 1048576, Help = "Inner size of the transformer's feed-forward blocks (dnn_type trm).")]
    public int InnerSize { get; init; } = 256;

    [Param(Min = 1, Max = 64, Help = "Transformer layers (dnn_type trm).", Alias = "num_layers")]
    public int NLayers { get; init; } = 2;

    [Param(Min = 1, Max = 1024, Help = "Attention heads (dnn_type trm); embedding_size must be divisible by it.")]
    public int NHeads { get; init; } = 2;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout after the transformer's input LayerNorm, attention output and feed-forward (dnn_type trm).")]
    public double HiddenDropoutProb { get; init; } = 0.5;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the attention probabilities (dnn_type trm).")]
    public double AttnDropoutProb { get; init; } = 0.5;

    [Param(Help = "Feed-forward activation (dnn_type trm).")]
    public Activation HiddenAct { get; init; } = Activation.Gelu;

    [Param(Min = 0.0, Max = 1.0, Help = "Epsilon of every LayerNorm (dnn_type trm).")]
    public double LayerNormEps { get; init; } = 1e-12;

    [Param(Min = 0.0, Max = 10.0, Help = "Standard deviation RecBole's transformer initialisation would use; CORE then re-initialises every parameter U(-1/sqrt(E), 1/sqrt(E)), so it has no effect.")]
    public double InitializerRange { get; init; } = 0.02;

    [Param(Help = "CE over all items (cosine similarity / temperature), the only loss CORE is defined with.")]
    public CoreLossType LossType { get; init; } = CoreLossType.CE;

    [Param(Help = "Session encoder: trm (a causal transformer scores each item, softmax over the real items) or ave (mean of the item embeddings).")]
    public CoreDnnType DnnType { get; init; } = CoreDnnType.Trm;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the session's item embeddings.")]
    public double SessDropout { get; init; } = 0.2;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the candidate item embeddings in training, before they are normalised.")]
    public double ItemDropout { get; init; } = 0.2;

    [Param(Min = 1e-6, Max = 1000.0, Help = "Temperature dividing the cosine scores.")]
    public double Temperature { get; init; } = 0.07;

    /// <summary>The transformer blocks' settings.</summary>
    public TransformerSettings Transformer => new(NLayers, NHeads, EmbeddingSize, InnerSize, HiddenDropoutProb, AttnDropoutProb, HiddenAct, LayerNormEps);

    partial void OnValidate(ConfigErrors errors)
    {
        if (DnnType == CoreDnnType.Trm && NHeads > 0 && EmbeddingSize % NHeads != 0)
            errors.Error("embedding_size", $"{EmbeddingSize} is not divisible by n_heads ({NHeads})");
    }
}

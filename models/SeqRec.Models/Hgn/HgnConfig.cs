using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>How HGN pools the instance-gated items.</summary>
public enum HgnPooling
{
    /// <summary>Sum of the gated items divided by the sum of the gates.</summary>
    Average,

    /// <summary>The gated item with the highest gate.</summary>
    Max,
}

/// <summary>HGN hyper-parameters (the <c>[hgn]</c> section), with RecBole's defaults.</summary>
[ConfigSection("hgn")]
public sealed partial record HgnConfig
{
    [Param(Min = 1, Max = 65536, Help = "User and item embedding size.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Help = "Pooling of the instance-gated items: average (gate-weighted mean) or max (the item with the highest gate).")]
    public HgnPooling PoolingType { get; init; } = HgnPooling.Average;

    [Param(Help = "Two L2 weights: [gate weights (w1..w4), embeddings (user, target, history)].")]
    public double[] RegWeight { get; init; } = [0.0, 0.0];

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    partial void OnValidate(ConfigErrors errors)
    {
        if (RegWeight is not { Length: 2 })
            errors.Error("reg_weight", $"needs exactly two weights, got {RegWeight?.Length ?? 0}");
        else if (RegWeight.Any(w => w < 0 || !double.IsFinite(w)))
            errors.Error("reg_weight", "weights must be finite and not negative");
    }
}

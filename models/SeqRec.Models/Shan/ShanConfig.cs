using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>SHAN hyper-parameters (the <c>[shan]</c> section), with RecBole's defaults.</summary>
[ConfigSection("shan")]
public sealed partial record ShanConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of users and items.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 65536, Help = "How many of the last items form the short-term part; at most max_item_list_length.")]
    public int ShortItemLength { get; init; } = 2;

    [Param(Help = "Two L2 weights: on the attention weights (long_w, long_short_w), and on the batch's user and target item embeddings.")]
    public double[] RegWeight { get; init; } = [0.01, 0.0001];

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    partial void OnValidate(ConfigErrors errors)
    {
        if (RegWeight.Length != 2) errors.Error("reg_weight", $"needs two weights, got {RegWeight.Length}");
        else if (RegWeight.Any(w => w < 0 || !double.IsFinite(w))) errors.Error("reg_weight", "weights must be finite and non-negative");
    }
}

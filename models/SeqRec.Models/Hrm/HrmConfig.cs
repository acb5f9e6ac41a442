using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>How HRM pools a set of vectors element-wise.</summary>
public enum HrmPooling { Max, Average }

/// <summary>HRM hyper-parameters (the <c>[hrm]</c> section), with RecBole's defaults.</summary>
[ConfigSection("hrm")]
public sealed partial record HrmConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of users and items.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 65536, Help = "How many of the last items the first layer pools; at most max_item_list_length.")]
    public int HighOrder { get; init; } = 2;

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the user embedding and on both pooled vectors.")]
    public double DropoutProb { get; init; } = 0.2;

    [Param(Help = "First layer over the last high_order items: element-wise max, or the sum over the whole sequence divided by min(length, high_order).")]
    public HrmPooling PoolingTypeLayer_1 { get; init; } = HrmPooling.Max;

    [Param(Help = "Second layer over the user and the first layer's vector: element-wise max or mean.")]
    public HrmPooling PoolingTypeLayer_2 { get; init; } = HrmPooling.Max;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

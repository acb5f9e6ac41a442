using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>NextItNet hyper-parameters (the <c>[nextitnet]</c> section), with RecBole's defaults.</summary>
[ConfigSection("nextitnet")]
public sealed partial record NextItNetConfig
{
    [Param(Min = 1, Max = 65536, Help = "Size of the item embeddings and of the residual channels.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 1024, Help = "Width of the causal convolution filters.")]
    public int KernelSize { get; init; } = 3;

    [Param(Min = 1, Max = 1024, Help = "How often the dilation list is repeated; there are block_num x len(dilations) residual blocks.")]
    public int BlockNum { get; init; } = 5;

    [Param(Help = "Dilations of one round of residual blocks; each block's second convolution uses twice its dilation.")]
    public int[] Dilations { get; init; } = [1, 4];

    [Param(Min = 0.0, Max = 1000.0, Help = "Weight of the L2 (unsquared norm) regulariser on the item embedding, the final layer and every residual-block weight.")]
    public double RegWeight { get; init; } = 1e-5;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;

    partial void OnValidate(ConfigErrors errors)
    {
        if (Dilations.Length == 0)
            errors.Error("dilations", "needs at least one dilation");
        else if (Dilations.Any(d => d < 1))
            errors.Error("dilations", $"every dilation must be at least 1, got [{string.Join(", ", Dilations)}]");
    }
}

using SeqRec.Configuration;
using SeqRec.Modeling;

namespace SeqRec.Models;

/// <summary>FOSSIL hyper-parameters (the <c>[fossil]</c> section), with RecBole's defaults.</summary>
[ConfigSection("fossil")]
public sealed partial record FossilConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 4096, Help = "Markov order: how many of the last items the high-order term weighs (at most max_item_list_length).")]
    public int OrderLen { get; init; } = 3;

    [Param(Min = 0.0, Max = 1000.0, Help = "Weight of the L2 norms of the user's lambdas, the target's embedding and the sequence output added to the loss.")]
    public double RegWeight { get; init; } = 0.0;

    [Param(Min = 0.0, Max = 100.0, Help = "The similarity term is the sum of the history's embeddings times length^(-alpha).")]
    public double Alpha { get; init; } = 0.6;

    [Param(Help = "CE (softmax over all items) or BPR (one uniform negative per sample).")]
    public LossType LossType { get; init; } = LossType.CE;
}

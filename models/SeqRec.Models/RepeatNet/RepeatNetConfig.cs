using SeqRec.Configuration;

namespace SeqRec.Models;

/// <summary>RepeatNet hyper-parameters (the <c>[repeatnet]</c> section), with RecBole's defaults.</summary>
[ConfigSection("repeatnet")]
public sealed partial record RepeatNetConfig
{
    [Param(Min = 1, Max = 65536, Help = "Item embedding size (the GRU's input).")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 1, Max = 65536, Help = "GRU hidden size, also the size of every attention layer.")]
    public int HiddenSize { get; init; } = 64;

    [Param(Help = "Adds the repeat/explore term (log-likelihood of the gate given whether the target is in the session) to the loss.")]
    public bool JointTrain { get; init; }

    [Param(Min = 0.0, Max = 1.0, Help = "Dropout on the attention projections of the gate and both decoders, and on the explore logits.")]
    public double DropoutProb { get; init; } = 0.5;

    [Param(Help = "With joint_train: pair each row's repeat/explore label with its own gate (mean over rows). Off (RecBole 1.2.1): the labels' [B, 1] times the gate's [B] broadcast to a [B, B] outer product, so every label meets every row's gate.")]
    public bool RowwiseRepeatExploreLoss { get; init; }
}

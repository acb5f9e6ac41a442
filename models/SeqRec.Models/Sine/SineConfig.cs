using SeqRec.Configuration;

namespace SeqRec.Models;

/// <summary>The losses RecBole's SINE accepts: CE and BPR as elsewhere, and NLL, which adds the prototype regulariser.</summary>
public enum SineLossType { CE, BPR, NLL }

/// <summary>SINE hyper-parameters (the <c>[sine]</c> section), with RecBole's defaults.</summary>
[ConfigSection("sine")]
public sealed partial record SineConfig
{
    [Param(Min = 1, Max = 65536, Help = "Embedding size of items and prototypes, and of the output.")]
    public int EmbeddingSize { get; init; } = 64;

    [Param(Min = 0.0, Max = 1.0, Help = "Epsilon of the two layer norms (ln2 on the selected prototypes, ln4 on the prototype-sequence summary).")]
    public double LayerNormEps { get; init; } = 1e-12;

    [Param(Min = 1, Max = 1048576, Help = "How many latent prototypes (concepts) the model learns (the table C).")]
    public int PrototypeSize { get; init; } = 50;

    [Param(Min = 1, Max = 1024, Help = "How many prototypes (intentions) each sequence activates; at most prototype_size.")]
    public int InterestSize { get; init; } = 3;

    [Param(Min = 1e-9, Max = 1e9, Help = "Temperature of the softmax that weighs the interest embeddings.")]
    public double TauRatio { get; init; } = 0.1;

    [Param(Min = 0.0, Max = 1e9, Help = "Weight of the prototype covariance regulariser, added to the NLL loss only.")]
    public double RegLossRatio { get; init; } = 0.5;

    [Param(Help = "CE (softmax over all items), BPR (one uniform negative per sample), or NLL (CE plus reg_loss_ratio times the prototype regulariser).")]
    public SineLossType LossType { get; init; } = SineLossType.CE;

    partial void OnValidate(ConfigErrors errors)
    {
        if (InterestSize > PrototypeSize) errors.Error("interest_size", $"can't exceed prototype_size ({PrototypeSize}), got {InterestSize}");
    }
}

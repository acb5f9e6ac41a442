using SeqRec.Modeling;
namespace SeqRec.Configuration;

/// <summary>The <c>[trainer]</c> section. Defaults follow RecBole.</summary>
[ConfigSection("trainer")]
public sealed partial record TrainerConfig
{
    [Param(Min = 1, Help = "Maximum training epochs.")]
    public int Epochs { get; init; } = 300;

    [Param(Min = 1, Help = "Training samples per batch.")]
    public int TrainBatchSize { get; init; } = 2048;

    [Param(Min = 0, Help = "Adam learning rate.")]
    public double LearningRate { get; init; } = 0.001;

    [Param(Min = 0, Help = "Adam L2 weight decay.")]
    public double WeightDecay { get; init; } = 0.0;

    [Param(Min = 0, Help = "Stop after this many evaluations without improvement (plus one, as RecBole).")]
    public int StoppingStep { get; init; } = 10;

    [Param(Min = 1, Help = "Evaluate on the validation set every this-many epochs.")]
    public int EvalStep { get; init; } = 1;

    [Param(Min = 0, Help = "Clip the gradient norm to this value; unset means no clipping.")]
    public double? ClipGradNorm { get; init; }

    [Param(Help = "Seed of every random generator (initialisation, shuffling, sampling, dropout).")]
    public long Seed { get; init; } = 2020;

    [Param(Help = "Compute device; this build supports cpu.")]
    public string Device { get; init; } = "cpu";

    [Param(Help = "Redraw a progress bar of each epoch's batches on a terminal (RecBole's show_progress); the per-epoch lines are printed either way.")]
    public bool ShowProgress { get; init; } = true;

    [Param(Min = 0, Max = 1024, Help = "Intra-op threads for torch; 0 keeps torch's default (one per core).")]
    public int Threads { get; init; }

    [Param(Help = "Recompute each feed-forward sublayer and the embedding lookup + LayerNorm in backward, a block of rows at a time, instead of keeping their activations: much less peak memory at long sequences (and fewer fresh large tensors), for a second forward pass of those parts.")]
    public bool RecomputeActivations { get; init; }

    [Param(Help = "fused: the shared layers' fast CPU paths (SIMD dropout and masked softmax, folded low-rank attention, recomputation); plain: their readable libtorch form, shaped like RecBole's modules (what another device runs). Same results up to float rounding; dropout draws differ.")]
    public KernelChoice Kernels { get; init; } = KernelChoice.Fused;

    partial void OnValidate(ConfigErrors errors)
    {
        if (RecomputeActivations && Kernels == KernelChoice.Plain)
            errors.Error("recompute_activations", "recomputation is part of the fused kernels; set kernels = \"fused\" or recompute_activations = false");
        if (!string.Equals(Device, "cpu", StringComparison.OrdinalIgnoreCase))
            errors.Error("device", $"'{Device}' is not supported by this build; use cpu");
    }
}

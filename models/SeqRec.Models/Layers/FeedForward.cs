using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models.Layers;

/// <summary>
/// RecBole's point-wise feed-forward block, post-LN: <c>LayerNorm(x + dropout(dense_2(act(dense_1(x)))))</c>.
/// There is no dropout after the activation.
/// </summary>
/// <remarks>
/// With <see cref="RecomputeActivations"/> the block runs a block of rows at a time and keeps only its input and the
/// dropout's byte mask for backward, which recomputes the rest (<see cref="BlockRecomputation"/>). Plain autograd keeps
/// act's input and output, two [rows, inner] tensors (1.7 GB per layer at batch 2048, L = 400, inner 256), plus the
/// LayerNorm's input, and allocates a full-size tensor for each intermediate and each of their gradients (at long
/// sequences each one is freshly mapped and page-faulted); blocks are small enough to be reused from the heap. The
/// price is running dense_1, act and dense_2 once more.
/// </remarks>
public sealed class FeedForward : nn.Module<Tensor, Tensor>, IRecomputesActivations
{
    private readonly Linear dense_1;
    private readonly Linear dense_2;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout dropout;
    private readonly Activation _activation;

    public FeedForward(TransformerSettings settings) : base(nameof(FeedForward))
    {
        dense_1 = nn.Linear(settings.HiddenSize, settings.InnerSize);
        dense_2 = nn.Linear(settings.InnerSize, settings.HiddenSize);
        LayerNorm = nn.LayerNorm(settings.HiddenSize, settings.LayerNormEps);
        dropout = new HashedDropout(settings.HiddenDropoutProb);
        _activation = settings.HiddenAct;
        RegisterComponents();
    }

    public bool RecomputeActivations { get; set; }

    /// <summary>
    /// Rows per recomputation block: 16 Ki rows is 16 MiB of inner activations at inner size 256. Small on purpose:
    /// blocks live on the heap (below the allocator's mmap threshold), and the heap keeps its high-water mark for the
    /// whole run. Tests lower it to cover several blocks with tiny inputs.
    /// </summary>
    internal long RecomputeBlockRows { get; set; } = 16384;

    public override Tensor forward(Tensor input)
    {
        // Blocked in evaluation too: with no gradient to keep, blocks only lower the peak (inner activations never exist whole).
        if (RecomputeActivations) return Recomputed(input, null);
        using var scope = NewDisposeScope();
        var hidden = dropout.ApplyInPlace(dense_2.call(Activations.Apply(_activation, dense_1.call(input))));
        return LayerNorm.call(hidden.add_(input)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The block applied to <c>inputNorm(preNorm)</c>, the post-LN output of the sublayer before it. When recomputing,
    /// the norm runs inside the blocks too: its output never exists whole and is not kept for backward, where plain
    /// autograd kept both its input and its output (two [B, L, d] tensors).
    /// </summary>
    public Tensor ForwardAfter(LayerNorm inputNorm, Tensor preNorm)
    {
        if (RecomputeActivations) return Recomputed(preNorm, inputNorm);
        using var normalized = inputNorm.call(preNorm);
        return forward(normalized);
    }

    private Tensor Recomputed(Tensor input, LayerNorm? inputNorm)
    {
        using var scope = NewDisposeScope();
        var rows = input.reshape(-1, input.shape[^1]);
        // The mask is drawn once, here, and cut into blocks with the rows: backward must apply the same one.
        var dropped = dropout.DrawMask(input.shape, input.device);
        Tensor[] blocked = dropped is { } mask ? [rows, mask.Keep.reshape(rows.shape)] : [rows];
        var scale = dropped?.Scale ?? 1.0;
        Tensor[] weights = [.. parameters(), .. inputNorm?.parameters() ?? []];
        var output = BlockRecomputation.Apply(
            (block, _) => Sublayer(inputNorm is null ? block[0] : inputNorm.call(block[0]), block.Count > 1 ? block[1] : null, scale),
            blocked, weights, RecomputeBlockRows);
        return output.view(input.shape).MoveToOuterDisposeScope();
    }

    /// <summary>The sublayer on rows, with the dropout given by its byte mask (applied as <see cref="HashedDropout"/> applies it, bit for bit).</summary>
    private Tensor Sublayer(Tensor rows, Tensor? keep, double keptScale)
    {
        var hidden = dense_2.call(Activations.Apply(_activation, dense_1.call(rows)));
        if (keep is not null) hidden = hidden.mul(keep).mul_(keptScale);
        return LayerNorm.call(hidden.add_(rows));
    }
}

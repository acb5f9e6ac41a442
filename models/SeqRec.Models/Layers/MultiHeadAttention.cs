using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Models.Layers;

/// <summary>
/// SASRec's self-attention block (RecBole's <c>MultiHeadAttention</c>), post-LN:
/// <c>LayerNorm(x + dropout(dense(softmax(q·kᵀ/sqrt(dh) + mask)·v)))</c>, with attention dropout on the probabilities.
/// Without attention dropout (evaluation, or attn_dropout_prob 0) the attention runs through libtorch's fused
/// scaled_dot_product_attention; in training the probabilities are materialised once, scaled, masked, normalised and
/// dropped in one pass (<see cref="AttentionProbabilities"/>), which is much cheaper than the fused kernel's own
/// per-element Bernoulli dropout. Queries, keys and values that read
/// the same rows are projected by one GEMM (<see cref="FusedLinear"/>), and attention runs head by head.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, CausalPaddingMask, Tensor>, ISelectsKernels
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly HashedDropout attn_dropout;
    private readonly HashedDropout out_dropout;
    private readonly int _heads;
    private readonly double _attnDropoutProb;
    private readonly double _scale;
    private readonly double _headScale;

    public MultiHeadAttention(TransformerSettings settings) : base(nameof(MultiHeadAttention))
    {
        var (nHeads, hiddenSize, hiddenDropoutProb, attnDropoutProb, layerNormEps) =
            (settings.NHeads, settings.HiddenSize, settings.HiddenDropoutProb, settings.AttnDropoutProb, settings.LayerNormEps);
        if (hiddenSize % nHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} is not a multiple of n_heads {nHeads}", nameof(nHeads));
        _heads = nHeads;
        _attnDropoutProb = attnDropoutProb;
        _scale = 1.0 / Math.Sqrt(hiddenSize / nHeads);
        _headScale = Math.Sqrt(hiddenSize / nHeads);
        attn_dropout = new HashedDropout(attnDropoutProb);
        query = nn.Linear(hiddenSize, hiddenSize);
        key = nn.Linear(hiddenSize, hiddenSize);
        value = nn.Linear(hiddenSize, hiddenSize);
        dense = nn.Linear(hiddenSize, hiddenSize);
        LayerNorm = nn.LayerNorm(hiddenSize, layerNormEps);
        out_dropout = new HashedDropout(hiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary><paramref name="input"/> [B, L, d] → [B, L, d].</summary>
    public override Tensor forward(Tensor input, CausalPaddingMask mask)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(ForwardBeforeNorm(input, mask)).MoveToOuterDisposeScope();
    }

    /// <summary>The block without its final LayerNorm (<see cref="OutputNorm"/>), for a next block that applies it itself.</summary>
    public Tensor ForwardBeforeNorm(Tensor input, CausalPaddingMask mask)
    {
        if (Kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input)) return PlainBeforeNorm(input, mask);
        using var scope = NewDisposeScope();
        var heads = FusedLinear.Apply(input, _heads, query, key, value);
        return Attend(heads[.._heads], heads[_heads..(2 * _heads)], heads[(2 * _heads)..], input, mask).MoveToOuterDisposeScope();
    }

    /// <summary>The block's final LayerNorm (state-dict name <c>LayerNorm</c>).</summary>
    internal LayerNorm OutputNorm => LayerNorm;

    /// <summary>
    /// The same block evaluated only for one query row per sequence, <paramref name="rows"/> [B] (keys and values
    /// still span the whole sequence) → [B, 1, d]. Equal to gathering those rows from <see cref="forward"/>.
    /// </summary>
    public Tensor ForwardAt(Tensor input, CausalPaddingMask mask, Tensor rows)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        if (Kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(input))
            return forward(input, mask).gather(1, rows.view(batch, 1, 1).expand(batch, 1, input.shape[2])).MoveToOuterDisposeScope();
        var inputRows = input.gather(1, rows.view(batch, 1, 1).expand(batch, 1, input.shape[2]));
        using var rowMask = mask.AtRows(rows);
        var keyValue = FusedLinear.Apply(input, _heads, key, value);
        var queries = FusedLinear.Apply(inputRows, _heads, query);
        return LayerNorm.call(Attend(queries, keyValue[.._heads], keyValue[_heads..], inputRows, rowMask)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention of each head's queries [B, Lq, dh] over its keys and values [B, L, dh], then the output sublayer up to
    /// its LayerNorm: <c>residual + dropout(dense(context))</c>.
    /// The heads are strided views of the projections, which batched GEMMs read in place; a [B, h, L, dh] layout
    /// would copy queries, keys and values (and their gradients) to make the batch and head axes one.
    /// </summary>
    /// <summary>
    /// Plain: <see cref="PlainBeforeNorm"/>, and <see cref="ForwardAt"/> gathers rows of the full output. Inputs the
    /// fused kernels cannot read (another device or dtype) take the plain path whatever this says.
    /// </summary>
    public KernelChoice Kernels { get; set; }

    /// <summary>
    /// The layer as RecBole writes it, before the closing LayerNorm: per-head softmax(q·kᵀ / sqrt(dh) + mask) with the
    /// dense additive mask (-10000 for hidden keys), attention dropout, the values, the output projection and dropout.
    /// </summary>
    private Tensor PlainBeforeNorm(Tensor input, CausalPaddingMask mask)
    {
        using var scope = NewDisposeScope();
        var queryLayer = Heads.Split(query.call(input), _heads);                                      // [B, h, L, dh]
        var keyLayer = Heads.Split(key.call(input), _heads);
        var valueLayer = Heads.Split(value.call(input), _heads);
        var scores = queryLayer.matmul(keyLayer.transpose(-1, -2)).div(_headScale).add(mask.Dense());
        var context = attn_dropout.call(scores.softmax(-1)).matmul(valueLayer);
        var hidden = out_dropout.call(dense.call(Heads.Merge(context)));
        return hidden.add(input).MoveToOuterDisposeScope();
    }

    private Tensor Attend(Tensor[] queries, Tensor[] keys, Tensor[] values, Tensor residual, CausalPaddingMask mask)
    {
        var withDropout = training && _attnDropoutProb > 0;
        using var denseMask = withDropout || mask.CausalSuffices ? null : mask.Dense();
        var contexts = new Tensor[_heads];
        for (var h = 0; h < _heads; h++)
            contexts[h] = withDropout
                ? DroppedAttention(queries[h], keys[h], values[h], mask)
                : FusedAttention(queries[h], keys[h], values[h], denseMask);
        var hidden = out_dropout.ApplyInPlace(dense.call(_heads == 1 ? contexts[0] : cat(contexts, -1)));
        return hidden.add_(residual);
    }

    /// <summary>
    /// libtorch's fused attention for one head, given as [B, 1, L, dh]: with 3-D inputs it takes a slower path
    /// (measured: evaluating ml-100k's 943 test users took 0.25-0.29 s instead of 0.22 s). Without a mask it applies
    /// the causal one itself (<see cref="CausalPaddingMask.CausalSuffices"/>).
    /// </summary>
    private static Tensor FusedAttention(Tensor q, Tensor k, Tensor v, Tensor? denseMask) =>
        nn.functional.scaled_dot_product_attention(q.unsqueeze(1), k.unsqueeze(1), v.unsqueeze(1), denseMask, is_casual: denseMask is null).squeeze(1);

    /// <summary>One head's dropout(softmax(q·kᵀ·scale + mask))·v; the probabilities come from one fused node.</summary>
    private Tensor DroppedAttention(Tensor q, Tensor k, Tensor v, CausalPaddingMask mask)
    {
        using var dropped = AttentionProbabilities.Apply(q, k, mask.Key, mask.QueryPositions, _scale, attn_dropout.NextDraw(), mask.Causal);
        return dropped.bmm(v);
    }
}

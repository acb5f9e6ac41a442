using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// SASRec's self-attention block (RecBole's <c>MultiHeadAttention</c>), post-LN:
/// <c>LayerNorm(x + dropout(dense(softmax(q·kᵀ/sqrt(dh) + mask)·v)))</c>, with attention dropout on the probabilities.
/// Without attention dropout (evaluation, or attn_dropout_prob 0) the attention runs through libtorch's fused
/// scaled_dot_product_attention; in training the probabilities are materialised once for <see cref="FastDropout"/>,
/// which is much cheaper than the fused kernel's own per-element Bernoulli dropout.
/// </summary>
public sealed class MultiHeadAttention : nn.Module<Tensor, CausalPaddingMask, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly FastDropout attn_dropout;
    private readonly FastDropout out_dropout;
    private readonly int _heads;
    private readonly double _attnDropoutProb;
    private readonly double _scale;

    public MultiHeadAttention(int nHeads, int hiddenSize, double hiddenDropoutProb, double attnDropoutProb, double layerNormEps)
        : base(nameof(MultiHeadAttention))
    {
        if (hiddenSize % nHeads != 0)
            throw new ArgumentException($"hidden_size {hiddenSize} is not a multiple of n_heads {nHeads}", nameof(nHeads));
        _heads = nHeads;
        _attnDropoutProb = attnDropoutProb;
        _scale = 1.0 / Math.Sqrt(hiddenSize / nHeads);
        attn_dropout = new FastDropout(attnDropoutProb);
        query = nn.Linear(hiddenSize, hiddenSize);
        key = nn.Linear(hiddenSize, hiddenSize);
        value = nn.Linear(hiddenSize, hiddenSize);
        dense = nn.Linear(hiddenSize, hiddenSize);
        LayerNorm = nn.LayerNorm(hiddenSize, layerNormEps);
        out_dropout = new FastDropout(hiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary><paramref name="input"/> [B, L, d] → [B, L, d].</summary>
    public override Tensor forward(Tensor input, CausalPaddingMask mask)
    {
        using var scope = NewDisposeScope();
        var q = Heads.Split(query.call(input), _heads);
        return Attend(q, input, input, mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same block evaluated only for one query row per sequence, <paramref name="rows"/> [B] (keys and values
    /// still span the whole sequence) → [B, 1, d]. Equal to gathering those rows from <see cref="forward"/>.
    /// </summary>
    public Tensor ForwardAt(Tensor input, CausalPaddingMask mask, Tensor rows)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var inputRows = input.gather(1, rows.view(batch, 1, 1).expand(batch, 1, input.shape[2]));
        using var rowMask = mask.AtRows(rows);
        return Attend(Heads.Split(query.call(inputRows), _heads), input, inputRows, rowMask).MoveToOuterDisposeScope();
    }

    private Tensor Attend(Tensor queryHeads, Tensor input, Tensor residual, CausalPaddingMask mask)
    {
        var k = Heads.Split(key.call(input), _heads);
        var v = Heads.Split(value.call(input), _heads);
        var context = training && _attnDropoutProb > 0 ? DroppedAttention(queryHeads, k, v, mask) : FusedAttention(queryHeads, k, v, mask);
        var hidden = out_dropout.ApplyInPlace(dense.call(Heads.Merge(context)));
        return LayerNorm.call(hidden.add_(residual));
    }

    private static Tensor FusedAttention(Tensor q, Tensor k, Tensor v, CausalPaddingMask mask)
    {
        using var dense = mask.Dense();
        return nn.functional.scaled_dot_product_attention(q, k, v, dense);
    }

    /// <summary>
    /// softmax(q·kᵀ·scale + mask) with attention dropout, times v. Each [B, h, Lq, L] intermediate is released as soon
    /// as the next one exists (autograd keeps only what backward needs: the probabilities, the byte mask and the
    /// dropped probabilities), which bounds the forward peak at long sequences.
    /// </summary>
    private Tensor DroppedAttention(Tensor q, Tensor k, Tensor v, CausalPaddingMask mask)
    {
        var scores = mask.AddTo_(q.matmul(k.transpose(-2, -1)).mul_(_scale));
        var probs = scores.softmax(-1);
        scores.Dispose();
        var dropped = attn_dropout.call(probs);
        probs.Dispose();
        var context = dropped.matmul(v);
        dropped.Dispose();
        return context;
    }
}

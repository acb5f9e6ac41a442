using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>One SASRec layer: self-attention then feed-forward (RecBole's <c>TransformerLayer</c>).</summary>
public sealed class TransformerLayer : nn.Module<Tensor, CausalPaddingMask, Tensor>, IRowLayer<CausalPaddingMask>
{
    private readonly MultiHeadAttention multi_head_attention;
    private readonly FeedForward feed_forward;

    public TransformerLayer(TransformerSettings settings) : base(nameof(TransformerLayer))
    {
        multi_head_attention = new MultiHeadAttention(settings);
        feed_forward = new FeedForward(settings);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hiddenStates, CausalPaddingMask attentionMask)
    {
        // The attention's closing LayerNorm runs inside the feed-forward block (lighter when that block recomputes).
        using var beforeNorm = multi_head_attention.ForwardBeforeNorm(hiddenStates, attentionMask);
        return feed_forward.ForwardAfter(multi_head_attention.OutputNorm, beforeNorm);
    }

    /// <summary>The layer's output at one position per sequence, <paramref name="rows"/> [B] → [B, d].</summary>
    public Tensor ForwardAt(Tensor hiddenStates, CausalPaddingMask attentionMask, Tensor rows)
    {
        using var scope = NewDisposeScope();
        return feed_forward.call(multi_head_attention.ForwardAt(hiddenStates, attentionMask, rows)).squeeze(1).MoveToOuterDisposeScope();
    }
}

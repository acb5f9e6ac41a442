using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>One LightSANs layer: low-rank attention with the position term, then feed-forward.</summary>
public sealed class LightTransformerLayer : nn.Module<Tensor, Tensor, Tensor>, IRowLayer<Tensor>
{
    private readonly LightMultiHeadAttention multi_head_attention;
    private readonly FeedForward feed_forward;

    public LightTransformerLayer(TransformerSettings settings, int kInterests) : base(nameof(LightTransformerLayer))
    {
        multi_head_attention = new LightMultiHeadAttention(settings, kInterests);
        feed_forward = new FeedForward(settings);
        RegisterComponents();
    }

    internal LightMultiHeadAttention Attention => multi_head_attention;

    public override Tensor forward(Tensor hiddenStates, Tensor positionEmbedding)
    {
        // The attention's closing LayerNorm runs inside the feed-forward block (lighter when that block recomputes).
        using var beforeNorm = multi_head_attention.ForwardBeforeNorm(hiddenStates, positionEmbedding);
        return feed_forward.ForwardAfter(multi_head_attention.OutputNorm, beforeNorm);
    }

    /// <summary>The layer's output at one position per sequence, <paramref name="rows"/> [B] → [B, d].</summary>
    public Tensor ForwardAt(Tensor hiddenStates, Tensor positionEmbedding, Tensor rows)
    {
        using var scope = NewDisposeScope();
        return feed_forward.call(multi_head_attention.ForwardAt(hiddenStates, positionEmbedding, rows)).squeeze(1).MoveToOuterDisposeScope();
    }
}

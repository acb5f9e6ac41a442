using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>SASRec's encoder: <c>n_layers</c> post-LN transformer layers; returns the last layer's output.</summary>
public sealed class TransformerEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<TransformerLayer> layer;

    public TransformerEncoder(int nLayers, int nHeads, int hiddenSize, int innerSize, double hiddenDropoutProb,
        double attnDropoutProb, Activation hiddenAct, double layerNormEps) : base(nameof(TransformerEncoder))
    {
        layer = nn.ModuleList<TransformerLayer>();
        for (var i = 0; i < nLayers; i++)
            layer.Add(new TransformerLayer(nHeads, hiddenSize, innerSize, hiddenDropoutProb, attnDropoutProb, hiddenAct, layerNormEps));
        RegisterComponents();
    }

    /// <summary>
    /// The additive mask RecBole's SASRec uses: 0 where key j ≤ query i and item j is not padding, -10000 elsewhere,
    /// [B, 1, L, L].
    /// </summary>
    public static Tensor CausalPaddingMask(Tensor itemSeq)
    {
        using var scope = NewDisposeScope();
        var length = itemSeq.shape[1];
        var keyIsItem = itemSeq.ne(SequentialRecommender.PaddingId).view(itemSeq.shape[0], 1, 1, length);
        var allowed = ones(length, length, ScalarType.Bool, itemSeq.device).tril_().logical_and(keyIsItem);
        return zeros(allowed.shape, ScalarType.Float32, itemSeq.device)
            .masked_fill_(allowed.logical_not_(), -10000.0f).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor hiddenStates, Tensor attentionMask) => LayerStack.Forward(layer, hiddenStates, attentionMask);

    /// <summary>
    /// The last layer's output at one position per sequence, <paramref name="rows"/> [B] → [B, d]: equal to gathering
    /// those rows from <see cref="forward"/>, but the last layer computes only them (what a next-item model reads).
    /// </summary>
    public Tensor ForwardAt(Tensor hiddenStates, Tensor attentionMask, Tensor rows) => LayerStack.ForwardAt(layer, hiddenStates, attentionMask, rows);
}

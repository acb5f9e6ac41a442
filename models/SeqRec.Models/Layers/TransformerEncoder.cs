using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>SASRec's encoder: <c>n_layers</c> post-LN transformer layers; returns the last layer's output.</summary>
public sealed class TransformerEncoder : nn.Module<Tensor, CausalPaddingMask, Tensor>
{
    private readonly ModuleList<TransformerLayer> layer;

    public TransformerEncoder(TransformerSettings settings) : base(nameof(TransformerEncoder))
    {
        layer = nn.ModuleList<TransformerLayer>();
        for (var i = 0; i < settings.NumLayers; i++)
            layer.Add(new TransformerLayer(settings));
        RegisterComponents();
    }

    public override Tensor forward(Tensor hiddenStates, CausalPaddingMask attentionMask) => LayerStack.Forward(layer, hiddenStates, attentionMask);

    /// <summary>
    /// The last layer's output at one position per sequence, <paramref name="rows"/> [B] → [B, d]: equal to gathering
    /// those rows from <see cref="forward"/>, but the last layer computes only them (what a next-item model reads).
    /// </summary>
    public Tensor ForwardAt(Tensor hiddenStates, CausalPaddingMask attentionMask, Tensor rows) => LayerStack.ForwardAt(layer, hiddenStates, attentionMask, rows);
}

using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// LightSANs' encoder: <c>n_layers</c> light layers, each given the same raw position embedding. As in the reference
/// (which deep-copies one layer), every layer starts from the same <c>theta</c> values.
/// </summary>
public sealed class LightTransformerEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<LightTransformerLayer> layer;

    public LightTransformerEncoder(TransformerSettings settings, int kInterests) : base(nameof(LightTransformerEncoder))
    {
        layer = nn.ModuleList<LightTransformerLayer>();
        for (var i = 0; i < settings.NumLayers; i++)
            layer.Add(new LightTransformerLayer(settings, kInterests));
        ShareInitialTheta();
        RegisterComponents();
    }

    private void ShareInitialTheta()
    {
        using var noGrad = no_grad();
        var first = layer[0].Attention;
        foreach (var other in layer.Skip(1))
        {
            other.Attention.KeyAggregation.Theta.copy_(first.KeyAggregation.Theta);
            other.Attention.ValueAggregation.Theta.copy_(first.ValueAggregation.Theta);
        }
    }

    public override Tensor forward(Tensor hiddenStates, Tensor positionEmbedding) => LayerStack.Forward(layer, hiddenStates, positionEmbedding);

    /// <summary>
    /// The last layer's output at one position per sequence, <paramref name="rows"/> [B] → [B, d]: equal to gathering
    /// those rows from <see cref="forward"/>, but the last layer computes only them (what a next-item model reads).
    /// </summary>
    public Tensor ForwardAt(Tensor hiddenStates, Tensor positionEmbedding, Tensor rows) => LayerStack.ForwardAt(layer, hiddenStates, positionEmbedding, rows);
}

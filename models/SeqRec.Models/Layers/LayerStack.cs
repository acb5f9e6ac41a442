using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>An encoder layer that maps (hidden, context) to hidden and can compute its output at one row per sequence.</summary>
public interface IRowLayer
{
    /// <summary>The layer's output at <paramref name="rows"/> [B] only, [B, d]; equal to gathering those rows of the full output.</summary>
    Tensor ForwardAt(Tensor hiddenStates, Tensor context, Tensor rows);
}

/// <summary>
/// Runs a stack of encoder layers that all receive the same context (SASRec's attention mask, LightSANs' position
/// embedding). A next-item model reads only one row of the last layer, so <see cref="ForwardAt"/> computes only that.
/// </summary>
internal static class LayerStack
{
    public static Tensor Forward<TLayer>(IEnumerable<TLayer> layers, Tensor hiddenStates, Tensor context)
        where TLayer : nn.Module<Tensor, Tensor, Tensor>
    {
        using var scope = NewDisposeScope();
        var hidden = hiddenStates;
        foreach (var layer in layers) hidden = layer.call(hidden, context);
        return hidden.MoveToOuterDisposeScope();
    }

    public static Tensor ForwardAt<TLayer>(IList<TLayer> layers, Tensor hiddenStates, Tensor context, Tensor rows)
        where TLayer : nn.Module<Tensor, Tensor, Tensor>, IRowLayer
    {
        using var scope = NewDisposeScope();
        var hidden = hiddenStates;
        for (var i = 0; i < layers.Count - 1; i++) hidden = layers[i].call(hidden, context);
        return layers[^1].ForwardAt(hidden, context, rows).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>An encoder layer that maps (hidden, context) to hidden and can compute its output at one row per sequence.</summary>
public interface IRowLayer<in TContext>
{
    /// <summary>The layer's output at <paramref name="rows"/> [B] only, [B, d]; equal to gathering those rows of the full output.</summary>
    Tensor ForwardAt(Tensor hiddenStates, TContext context, Tensor rows);
}

/// <summary>
/// Runs a stack of encoder layers that all receive the same context (SASRec's attention mask, LightSANs' position
/// embedding). A next-item model reads only one row of the last layer, so <see cref="ForwardAt"/> computes only that.
/// </summary>
internal static class LayerStack
{
    public static Tensor Forward<TLayer, TContext>(IEnumerable<TLayer> layers, Tensor hiddenStates, TContext context)
        where TLayer : nn.Module<Tensor, TContext, Tensor>
    {
        using var scope = NewDisposeScope();
        var hidden = hiddenStates;
        foreach (var layer in layers) hidden = layer.call(hidden, context);
        return hidden.MoveToOuterDisposeScope();
    }

    public static Tensor ForwardAt<TLayer, TContext>(IList<TLayer> layers, Tensor hiddenStates, TContext context, Tensor rows)
        where TLayer : nn.Module<Tensor, TContext, Tensor>, IRowLayer<TContext>
    {
        using var scope = NewDisposeScope();
        var hidden = hiddenStates;
        for (var i = 0; i < layers.Count - 1; i++) hidden = layers[i].call(hidden, context);
        return layers[^1].ForwardAt(hidden, context, rows).MoveToOuterDisposeScope();
    }
}

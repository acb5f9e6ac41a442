using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// RecBole's point-wise feed-forward block, post-LN: <c>LayerNorm(x + dropout(dense_2(act(dense_1(x)))))</c>.
/// There is no dropout after the activation. With <see cref="RecomputeActivations"/> only the block's input and dropout
/// mask are kept for backward; everything else is recomputed there (<see cref="RecomputedFeedForward"/>).
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>, IRecomputesActivations
{
    private readonly Linear dense_1;
    private readonly Linear dense_2;
    private readonly LayerNorm LayerNorm;
    private readonly FastDropout dropout;
    private readonly Activation _activation;
    private readonly double _layerNormEps;

    public FeedForward(int hiddenSize, int innerSize, double hiddenDropoutProb, Activation hiddenAct, double layerNormEps)
        : base(nameof(FeedForward))
    {
        dense_1 = nn.Linear(hiddenSize, innerSize);
        dense_2 = nn.Linear(innerSize, hiddenSize);
        LayerNorm = nn.LayerNorm(hiddenSize, layerNormEps);
        dropout = new FastDropout(hiddenDropoutProb);
        _activation = hiddenAct;
        _layerNormEps = layerNormEps;
        RegisterComponents();
    }

    public bool RecomputeActivations { get; set; }

    /// <summary>Rows per recomputation block; tests lower it to cover several blocks with tiny inputs.</summary>
    internal long RecomputeBlockRows { get; set; } = RecomputedFeedForward.DefaultBlockRows;

    public override Tensor forward(Tensor input)
    {
        // Blocked in evaluation too: with no gradient to keep, blocks only lower the peak (inner activations never exist whole).
        if (RecomputeActivations) return Recomputed(input);
        using var scope = NewDisposeScope();
        var hidden = dropout.ApplyInPlace(dense_2.call(Activations.Apply(_activation, dense_1.call(input))));
        return LayerNorm.call(hidden.add_(input)).MoveToOuterDisposeScope();
    }

    private Tensor Recomputed(Tensor input)
    {
        using var scope = NewDisposeScope();
        var mask = dropout.DrawMask(input.shape, input.device);
        Tensor[] weights = [dense_1.weight!, dense_1.bias!, dense_2.weight!, dense_2.bias!, LayerNorm.weight!, LayerNorm.bias!];
        return RecomputedFeedForward.Apply(input, weights, _activation, mask?.Keep, mask?.Scale ?? 1.0, _layerNormEps,
            RecomputeBlockRows).MoveToOuterDisposeScope();
    }
}

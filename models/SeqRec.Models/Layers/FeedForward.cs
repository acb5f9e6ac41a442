using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// RecBole's point-wise feed-forward block, post-LN: <c>LayerNorm(x + dropout(dense_2(act(dense_1(x)))))</c>.
/// There is no dropout after the activation. With <see cref="RecomputeActivations"/> the inner activations are not
/// kept for backward but recomputed there (<see cref="RecomputedFeedForward"/>).
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>, IRecomputesActivations
{
    private readonly Linear dense_1;
    private readonly Linear dense_2;
    private readonly LayerNorm LayerNorm;
    private readonly FastDropout dropout;
    private readonly Activation _activation;

    public FeedForward(int hiddenSize, int innerSize, double hiddenDropoutProb, Activation hiddenAct, double layerNormEps)
        : base(nameof(FeedForward))
    {
        dense_1 = nn.Linear(hiddenSize, innerSize);
        dense_2 = nn.Linear(innerSize, hiddenSize);
        LayerNorm = nn.LayerNorm(hiddenSize, layerNormEps);
        dropout = new FastDropout(hiddenDropoutProb);
        _activation = hiddenAct;
        RegisterComponents();
    }

    public bool RecomputeActivations { get; set; }

    /// <summary>Rows per recomputation block; tests lower it to cover several blocks with tiny inputs.</summary>
    internal long RecomputeBlockRows { get; set; } = RecomputedFeedForward.DefaultBlockRows;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = dropout.ApplyInPlace(Inner(input));
        return LayerNorm.call(hidden.add_(input)).MoveToOuterDisposeScope();
    }

    private Tensor Inner(Tensor input)
    {
        if (RecomputeActivations && is_grad_enabled())
            return RecomputedFeedForward.Apply(input, dense_1.weight!, dense_1.bias!, dense_2.weight!, dense_2.bias!,
                _activation, RecomputeBlockRows);
        return dense_2.call(Activations.Apply(_activation, dense_1.call(input)));
    }
}

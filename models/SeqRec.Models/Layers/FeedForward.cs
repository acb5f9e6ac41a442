using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// RecBole's point-wise feed-forward block, post-LN: <c>LayerNorm(x + dropout(dense_2(act(dense_1(x)))))</c>.
/// There is no dropout after the activation.
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
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

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = dropout.call(dense_2.call(Activations.Apply(_activation, dense_1.call(input))));
        return LayerNorm.call(hidden.add_(input)).MoveToOuterDisposeScope();
    }
}

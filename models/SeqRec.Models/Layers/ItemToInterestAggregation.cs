using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// LightSANs' item-to-interest aggregation: <c>D = softmax(x·theta)</c> over the sequence axis, output <c>Dᵀ·x</c>,
/// turning [B, L, d] into [B, k, d]. <c>theta</c> [d, k] starts N(0, 1), not N(0, initializer_range).
/// </summary>
public sealed class ItemToInterestAggregation : nn.Module<Tensor, Tensor>
{
    private readonly Parameter theta;

    public ItemToInterestAggregation(int hiddenSize, int kInterests) : base(nameof(ItemToInterestAggregation))
    {
        theta = nn.Parameter(randn(hiddenSize, kInterests));
        RegisterComponents();
    }

    public Tensor Theta => theta;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weights = input.matmul(theta).softmax(-2);
        return weights.transpose(1, 2).matmul(input).MoveToOuterDisposeScope();
    }
}

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
        return Aggregate(input, input.matmul(theta)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>x = projection(input)</c> [B, L, d] and its aggregation <c>forward(x)</c> [B, k, d], with x and the interest
    /// scores x·theta = input·(Wᵀ·theta) + b·theta produced by one GEMM of width d + k.
    /// </summary>
    /// <remarks>
    /// The same values up to float rounding, but much cheaper than projecting and then multiplying by theta: the
    /// gradient of a [B·L, d] × [d, k] product with k ≈ 5 is a long, skinny reduction that BLAS runs slowly (measured
    /// 50 ms of a 124 ms aggregation at batch 2048, L=50), while the widened projection adds k columns to a GEMM it
    /// runs anyway. The returned x is a strided view of the wide output.
    /// </remarks>
    public (Tensor Projected, Tensor Aggregated) ProjectAndAggregate(Linear projection, Tensor input)
    {
        using var scope = NewDisposeScope();
        var weight = projection.weight!;
        var hidden = weight.shape[0];
        var bias = projection.bias ?? zeros(hidden, weight.dtype, weight.device);
        var wideWeight = cat([weight, theta.t().matmul(weight)], 0);
        var wideBias = cat([bias, bias.matmul(theta)], 0);
        var wide = nn.functional.linear(input, wideWeight, wideBias);
        var projected = wide.narrow(-1, 0, hidden);
        var aggregated = Aggregate(projected, wide.narrow(-1, hidden, theta.shape[1]));
        return (projected.MoveToOuterDisposeScope(), aggregated.MoveToOuterDisposeScope());
    }

    private static Tensor Aggregate(Tensor input, Tensor scores) => scores.softmax(-2).transpose(1, 2).matmul(input);
}

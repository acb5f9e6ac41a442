using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// LightSANs' item-to-interest aggregation: <c>D = softmax(x·theta)</c> over the sequence axis, output <c>Dᵀ·x</c>,
/// turning [B, L, d] into [B, k, d]. <c>theta</c> [d, k] starts N(0, 1), not N(0, initializer_range).
/// </summary>
/// <remarks>
/// In the model x is always a projection <c>input·Wᵀ + b</c> of the layer input. Two identities keep that cheap:
/// the interest scores are <c>input·(Wᵀ·theta) + b·theta</c>, k more columns of a GEMM the layer runs anyway
/// (<see cref="ScoreRows"/>; a separate [B·L, d] × [d, k] product has a long, skinny gradient that BLAS runs slowly), and
/// because every column of D sums to 1 over the sequence, <c>Dᵀ·(input·Wᵀ + b) = (Dᵀ·input)·Wᵀ + b</c>: the interests
/// can pool the raw input and be projected afterwards, k rows instead of L (<see cref="LightMultiHeadAttention"/>).
/// </remarks>
public sealed class ItemToInterestAggregation : nn.Module<Tensor, Tensor>
{
    private readonly Parameter theta;

    public ItemToInterestAggregation(int hiddenSize, int kInterests) : base(nameof(ItemToInterestAggregation))
    {
        theta = nn.Parameter(randn(hiddenSize, kInterests));
        RegisterComponents();
    }

    public Tensor Theta => theta;

    public long Interests => theta.shape[1];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Pool(input, input.matmul(theta)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weight rows [k, d_in] and bias [k] that give the interest scores of <c>projection(input)</c> straight from
    /// <c>input</c>: <c>projection(input)·theta = input·(Wᵀ·theta) + b·theta</c>.
    /// </summary>
    public (Tensor Weight, Tensor Bias) ScoreRows(Linear projection)
    {
        return (theta.t().matmul(projection.weight!), projection.bias!.matmul(theta));
    }

    /// <summary><c>softmax(scores)ᵀ·x</c> with the softmax over the sequence axis: [B, L, d] and [B, L, k] → [B, k, d].</summary>
    public static Tensor Pool(Tensor x, Tensor scores) => scores.softmax(-2).transpose(1, 2).matmul(x);
}

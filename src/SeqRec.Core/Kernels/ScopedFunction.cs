using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// A custom autograd node (one output) whose backward keeps nothing alive past its work: the incoming gradient and the
/// saved tensors TorchSharp hands it, and every tensor it makes, are disposed when it returns, and the gradients it
/// returns are let go as soon as libtorch holds them (<see cref="ReturnedGradients"/>).
/// </summary>
/// <remarks>
/// Left to the step's dispose scope, each of those would stay alive until the step ended: at long sequences, several
/// [B, L, d] tensors per node.
/// </remarks>
internal abstract class ScopedFunction<T> : autograd.SingleTensorFunction<T> where T : ScopedFunction<T>, new()
{
    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReturnedGradients.ReleaseEarlier();
        using var scope = NewDisposeScope();
        using var incoming = gradOutput;
        return ReturnedGradients.Hand(Backward(ctx, gradOutput, ctx.get_saved_variables()));
    }

    /// <summary>
    /// One gradient per argument given to <c>apply</c>, in order: null for an argument that gets none (non-tensor
    /// arguments included).
    /// </summary>
    protected abstract Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved);
}

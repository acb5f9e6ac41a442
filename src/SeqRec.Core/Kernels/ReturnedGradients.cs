using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// Hands the gradients of a custom autograd node's <c>backward</c> back to libtorch and lets go of them as soon as it
/// is safe: when the next custom backward on the same thread begins.
/// </summary>
/// <remarks>
/// TorchSharp passes the returned tensors to libtorch only after <c>backward</c> returns, so backward cannot dispose
/// them itself. Moved to the outer dispose scope (the training step's), each one stayed alive until the step ended,
/// although libtorch frees its own reference as soon as the gradient has been used: at batch 2048 and L = 400 that was
/// up to four [B, L, d] gradients (210 MB apiece) held to the end of every backward pass, the part of the peak that
/// grew while backward ran. Once the next custom backward begins the previous call has returned and libtorch holds its
/// references, so disposing our wrappers then frees nothing libtorch still uses. The autograd engine runs CPU nodes on
/// one thread, and the list is per thread. Whatever is still held when the step ends goes with the step's scope.
/// </remarks>
internal static class ReturnedGradients
{
    [ThreadStatic] private static List<Tensor>? handedBack;

    /// <summary>Releases the gradients handed back by earlier backward calls on this thread (<see cref="ScopedFunction{T}"/> does it first in every backward).</summary>
    public static void ReleaseEarlier()
    {
        if (handedBack is null) return;
        foreach (var gradient in handedBack) gradient.Dispose();
        handedBack.Clear();
    }

    /// <summary>
    /// The list backward returns: the gradients (null where an input gets none), kept alive past this call and
    /// released by the next backward on this thread.
    /// </summary>
    public static List<Tensor> Hand(params Tensor?[] gradients)
    {
        ReleaseEarlier();
        handedBack ??= [];
        foreach (var gradient in gradients)
        {
            if (gradient is null) continue;
            gradient.MoveToOuterDisposeScope();
            handedBack.Add(gradient);
        }
        return [.. gradients.Select(g => g!)];
    }
}

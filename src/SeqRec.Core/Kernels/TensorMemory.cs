using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>Raw access to CPU tensors for the vectorised C# kernels.</summary>
internal static unsafe class TensorMemory
{
    /// <summary>The address of element 0 (a one-element view keeps the span small even for tensors over 2 GB).</summary>
    public static nint Address(Tensor tensor)
    {
        using var first = tensor.view(-1).narrow(0, 0, 1);
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }
}

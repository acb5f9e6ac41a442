using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// Raw access to CPU tensors for the vectorised C# kernels, and their one guard: a kernel reads memory only through
/// <see cref="Address"/>, which refuses anything but a contiguous CPU tensor of the element type the kernel reads.
/// Callers check <see cref="Fits"/> first and take the plain libtorch path otherwise (another device, dtype or layout).
/// </summary>
internal static unsafe class TensorMemory
{
    /// <summary>Whether a fused path can run on <paramref name="tensor"/> at all: a CPU float32 tensor (layout aside, which it fixes itself).</summary>
    public static bool FusedPathRuns(Tensor tensor) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.dtype == ScalarType.Float32;

    /// <summary>Whether the kernels can read <paramref name="tensor"/>: on the CPU, of <paramref name="type"/>, contiguous.</summary>
    public static bool Fits(Tensor tensor, ScalarType type = ScalarType.Float32) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.dtype == type && tensor.is_contiguous();

    /// <summary>The address of element 0 (a one-element view keeps the span small even for tensors over 2 GB).</summary>
    /// <exception cref="InvalidOperationException">The tensor is not a contiguous CPU tensor of <paramref name="type"/>.</exception>
    public static nint Address(Tensor tensor, ScalarType type)
    {
        if (!Fits(tensor, type))
            throw new InvalidOperationException($"a C# kernel needs a contiguous CPU {type} tensor, got {tensor.dtype} on {tensor.device} ({(tensor.is_contiguous() ? "contiguous" : "strided")}); the caller should have taken the plain path");
        using var first = tensor.view(-1).narrow(0, 0, 1);
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }
}

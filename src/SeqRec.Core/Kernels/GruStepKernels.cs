using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// The gate arithmetic of one GRU step for a batch of rows, forward and backward, each in one pass over the row
/// (libtorch runs about eight passes forward and more backward, each over a [B, H] or [B, 3H] tensor). Gates are laid
/// out as PyTorch's: r, z, n in consecutive blocks of H.
/// </summary>
internal static unsafe class GruStepKernels
{
    private const int RowsPerTask = 64;

    /// <summary>
    /// From the input projection <paramref name="inputGates"/> and the recurrent one <paramref name="recurrentGates"/>
    /// (both [B, 3H], biases included) and the previous state (null for zeros): the gates r, z, n into
    /// <paramref name="gates"/> [B, 3H], the recurrent n-term into <paramref name="recurrentCandidate"/> [B, H] and
    /// the new state into <paramref name="state"/> [B, H].
    /// </summary>
    public static void Forward(Tensor inputGates, Tensor recurrentGates, Tensor? previous, Tensor gates, Tensor recurrentCandidate, Tensor state)
    {
        var (rows, hidden) = ((int)state.shape[0], (int)state.shape[1]);
        var gi = (float*)TensorMemory.Address(inputGates, ScalarType.Float32);
        var gh = (float*)TensorMemory.Address(recurrentGates, ScalarType.Float32);
        var hp = previous is null ? null : (float*)TensorMemory.Address(previous, ScalarType.Float32);
        var g = (float*)TensorMemory.Address(gates, ScalarType.Float32);
        var hn = (float*)TensorMemory.Address(recurrentCandidate, ScalarType.Float32);
        var h = (float*)TensorMemory.Address(state, ScalarType.Float32);
        ForEachRow(rows, row =>
        {
            long wide = (long)row * 3 * hidden, narrow = (long)row * hidden;
            ForwardRow(gi + wide, gh + wide, hp is null ? null : hp + narrow, g + wide, hn + narrow, h + narrow, hidden);
        });
    }

    /// <summary>
    /// One step back: with <paramref name="gradState"/> the gradient reaching the step's state from later steps and
    /// <paramref name="gradOutput"/> the one from the step's output, writes the gradients of the input projection
    /// [B, 3H] and of the recurrent one [B, 3H], and leaves in <paramref name="gradState"/> the direct part of the
    /// previous state's gradient (<c>g ⊙ z</c>); the caller adds <c>gradRecurrent · W_hh</c>.
    /// </summary>
    public static void Backward(Tensor gradState, Tensor gradOutput, Tensor gates, Tensor recurrentCandidate, Tensor? previous,
        Tensor gradInputGates, Tensor gradRecurrentGates)
    {
        var (rows, hidden) = ((int)gradState.shape[0], (int)gradState.shape[1]);
        var gs = (float*)TensorMemory.Address(gradState, ScalarType.Float32);
        var go = (float*)TensorMemory.Address(gradOutput, ScalarType.Float32);
        var g = (float*)TensorMemory.Address(gates, ScalarType.Float32);
        var hn = (float*)TensorMemory.Address(recurrentCandidate, ScalarType.Float32);
        var hp = previous is null ? null : (float*)TensorMemory.Address(previous, ScalarType.Float32);
        var gi = (float*)TensorMemory.Address(gradInputGates, ScalarType.Float32);
        var gh = (float*)TensorMemory.Address(gradRecurrentGates, ScalarType.Float32);
        ForEachRow(rows, row =>
        {
            long wide = (long)row * 3 * hidden, narrow = (long)row * hidden;
            BackwardRow(gs + narrow, go + narrow, g + wide, hn + narrow, hp is null ? null : hp + narrow, gi + wide, gh + wide, hidden);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(float* gi, float* gh, float* hp, float* gates, float* hn, float* h, int hidden)
    {
        var j = 0;
        for (; j + 8 <= hidden; j += 8)
        {
            var r = Sigmoid(Vector256.Load(gi + j) + Vector256.Load(gh + j));
            var z = Sigmoid(Vector256.Load(gi + hidden + j) + Vector256.Load(gh + hidden + j));
            var recurrent = Vector256.Load(gh + 2 * hidden + j);
            var n = Tanh(Vector256.Load(gi + 2 * hidden + j) + r * recurrent);
            var previous = hp is null ? Vector256<float>.Zero : Vector256.Load(hp + j);
            r.Store(gates + j);
            z.Store(gates + hidden + j);
            n.Store(gates + 2 * hidden + j);
            recurrent.Store(hn + j);
            (n + z * (previous - n)).Store(h + j);
        }
        for (; j < hidden; j++)
        {
            var r = Sigmoid(gi[j] + gh[j]);
            var z = Sigmoid(gi[hidden + j] + gh[hidden + j]);
            var recurrent = gh[2 * hidden + j];
            var n = Tanh(gi[2 * hidden + j] + r * recurrent);
            var previous = hp is null ? 0f : hp[j];
            (gates[j], gates[hidden + j], gates[2 * hidden + j], hn[j]) = (r, z, n, recurrent);
            h[j] = n + z * (previous - n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(float* gs, float* go, float* gates, float* hn, float* hp, float* gi, float* gh, int hidden)
    {
        var one = Vector256<float>.One;
        var j = 0;
        for (; j + 8 <= hidden; j += 8)
        {
            var grad = Vector256.Load(gs + j) + Vector256.Load(go + j);
            var (r, z, n) = (Vector256.Load(gates + j), Vector256.Load(gates + hidden + j), Vector256.Load(gates + 2 * hidden + j));
            var previous = hp is null ? Vector256<float>.Zero : Vector256.Load(hp + j);
            var gradN = grad * (one - z) * (one - n * n);
            var gradZ = grad * (previous - n) * z * (one - z);
            var gradR = gradN * Vector256.Load(hn + j) * r * (one - r);
            gradR.Store(gi + j);
            gradZ.Store(gi + hidden + j);
            gradN.Store(gi + 2 * hidden + j);
            gradR.Store(gh + j);
            gradZ.Store(gh + hidden + j);
            (gradN * r).Store(gh + 2 * hidden + j);
            (grad * z).Store(gs + j);
        }
        for (; j < hidden; j++)
        {
            var grad = gs[j] + go[j];
            var (r, z, n) = (gates[j], gates[hidden + j], gates[2 * hidden + j]);
            var previous = hp is null ? 0f : hp[j];
            var gradN = grad * (1 - z) * (1 - n * n);
            var gradZ = grad * (previous - n) * z * (1 - z);
            var gradR = gradN * hn[j] * r * (1 - r);
            (gi[j], gi[hidden + j], gi[2 * hidden + j]) = (gradR, gradZ, gradN);
            (gh[j], gh[hidden + j], gh[2 * hidden + j]) = (gradR, gradZ, gradN * r);
            gs[j] = grad * z;
        }
    }

    // σ(x) = 1 / (1 + e^−x) and tanh(x) = 1 − 2 / (e^2x + 1): both saturate cleanly when the exponential overflows.
    private static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    private static Vector256<float> Tanh(Vector256<float> x) =>
        Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(x + x) + Vector256<float>.One);

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Tanh(float x) => 1f - 2f / (MathF.Exp(x + x) + 1f);

    private static void ForEachRow(int rows, Action<int> body) =>
        Parallel.For(0, (rows + RowsPerTask - 1) / RowsPerTask, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) }, task =>
        {
            var end = Math.Min(rows, (task + 1) * RowsPerTask);
            for (var row = task * RowsPerTask; row < end; row++) body(row);
        });
}

using System.Runtime.Intrinsics;
using SeqRec.Modeling;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// The mean cross-entropy of logits [B, N] against target columns [B], as <c>nn.functional.cross_entropy</c> gives it,
/// as one autograd node. Forward reads each row once for its log-sum-exp and writes no [B, N] log-softmax; backward
/// writes the gradient <c>(softmax − one-hot) / B</c> in one pass over the logits. libtorch's path writes the
/// log-softmax forward, and backward fills a [B, N] zero tensor, scatters into it and reads two [B, N] tensors to
/// write a third: for the full-item scores every CE model trains on, that is most of the loss's cost.
/// </summary>
internal sealed unsafe class SoftmaxCrossEntropy : ScopedFunction<SoftmaxCrossEntropy>
{
    private const int RowsPerTask = 32;

    public override string Name => nameof(SoftmaxCrossEntropy);

    /// <param name="logits">Scores [B, N].</param>
    /// <param name="targets">The right column of every row [B] (int64), each in [0, N).</param>
    /// <param name="kernels">The plain path is <c>nn.functional.cross_entropy</c>.</param>
    public static Tensor Apply(Tensor logits, Tensor targets, KernelChoice kernels)
    {
        if (kernels == KernelChoice.Plain || !TensorMemory.FusedPathRuns(logits) || logits.dim() != 2
            || targets.dtype != ScalarType.Int64 || targets.device_type != TorchSharp.DeviceType.CPU || targets.dim() != 1)
            return nn.functional.cross_entropy(logits, targets);
        if (targets.shape[0] != logits.shape[0])
            throw new ArgumentException($"{targets.shape[0]} targets for {logits.shape[0]} rows of logits", nameof(targets));
        return apply(logits.contiguous(), targets.contiguous());
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (logits, targets) = ((Tensor)vars[0], (Tensor)vars[1]);
        var (rows, columns) = (logits.shape[0], (int)logits.shape[1]);
        var logSumExp = empty(rows, ScalarType.Float32, logits.device);
        using var detached = logits.detach();
        var x = (float*)TensorMemory.Address(detached, ScalarType.Float32);
        var t = (long*)TensorMemory.Address(targets, ScalarType.Int64);
        var lse = (float*)TensorMemory.Address(logSumExp, ScalarType.Float32);
        for (var row = 0L; row < rows; row++)
            if ((ulong)t[row] >= (ulong)columns)
                throw new ArgumentOutOfRangeException(nameof(targets), $"target {t[row]} is outside the {columns} columns of the logits");
        ForEachRow(rows, row => lse[row] = LogSumExp(x + row * columns, columns));

        var total = 0.0;
        for (var row = 0L; row < rows; row++) total += lse[row] - x[row * columns + t[row]];
        ctx.save_for_backward([logits, targets, logSumExp]);
        return tensor((float)(total / rows), ScalarType.Float32, logits.device);
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var (logits, targets, logSumExp) = (saved[0].detach(), saved[1], saved[2]);
        var (rows, columns) = (logits.shape[0], (int)logits.shape[1]);
        var scale = gradOutput.item<float>() / rows;
        var gradLogits = empty_like(logits);
        var x = (float*)TensorMemory.Address(logits, ScalarType.Float32);
        var t = (long*)TensorMemory.Address(targets, ScalarType.Int64);
        var lse = (float*)TensorMemory.Address(logSumExp, ScalarType.Float32);
        var g = (float*)TensorMemory.Address(gradLogits, ScalarType.Float32);
        ForEachRow(rows, row =>
        {
            var offset = row * columns;
            ScaledSoftmax(x + offset, lse[row], scale, g + offset, columns);
            g[offset + t[row]] -= scale;
        });
        return [gradLogits, null];
    }

    private static float LogSumExp(float* row, int columns)
    {
        var max = float.NegativeInfinity;
        var i = 0;
        var maxes = Vector256.Create(float.NegativeInfinity);
        for (; i + Vector256<float>.Count <= columns; i += Vector256<float>.Count) maxes = Vector256.Max(maxes, Vector256.Load(row + i));
        for (var lane = 0; lane < Vector256<float>.Count; lane++) max = MathF.Max(max, maxes[lane]);
        for (; i < columns; i++) max = MathF.Max(max, row[i]);
        if (float.IsNegativeInfinity(max) || float.IsNaN(max)) return max;

        var shift = Vector256.Create(max);
        var sums = Vector256<float>.Zero;
        i = 0;
        for (; i + Vector256<float>.Count <= columns; i += Vector256<float>.Count) sums += Vector256.Exp(Vector256.Load(row + i) - shift);
        var sum = Vector256.Sum(sums);
        for (; i < columns; i++) sum += MathF.Exp(row[i] - max);
        return max + MathF.Log(sum);
    }

    private static void ScaledSoftmax(float* row, float logSumExp, float scale, float* target, int columns)
    {
        var (shift, factor) = (Vector256.Create(logSumExp), Vector256.Create(scale));
        var i = 0;
        for (; i + Vector256<float>.Count <= columns; i += Vector256<float>.Count)
            Vector256.Store(Vector256.Exp(Vector256.Load(row + i) - shift) * factor, target + i);
        for (; i < columns; i++) target[i] = MathF.Exp(row[i] - logSumExp) * scale;
    }

    private static void ForEachRow(long rows, Action<long> body) =>
        Parallel.For(0, (rows + RowsPerTask - 1) / RowsPerTask, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) }, task =>
        {
            var end = Math.Min(rows, (task + 1) * RowsPerTask);
            for (var row = task * RowsPerTask; row < end; row++) body(row);
        });
}

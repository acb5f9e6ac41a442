using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// The CPU loops behind <see cref="AttentionProbabilities"/>: scale, mask, softmax and dropout of attention scores in
/// one pass over each row, and their backward in one pass. libtorch ran five passes forward (scale, two mask
/// additions, softmax, dropout) and three backward, each over a [B, Lq, L] tensor: 1.3 GB per head at batch 2048 and
/// L = 400.
/// </summary>
/// <remarks>
/// A query at position i sees keys 0..i only; keys after i would get exactly probability 0 from RecBole's additive
/// -10000 (exp underflows), so they are skipped and written as 0, which halves the work of full causal attention.
/// Padding keys among 0..i get the -10000 added as in the reference. Rows are [B, Lq, L]: query row r of sequence b
/// sits at position r, or at <c>queryPositions[b]</c> when each sequence has one query row. Bidirectional attention
/// (<c>causal: false</c>) lets every query see every key, so only the padding term masks.
/// </remarks>
internal static unsafe class MaskedSoftmaxKernels
{
    private const int RowsPerTask = 64;

    /// <summary>
    /// Overwrites <paramref name="scores"/> (raw q·kᵀ, contiguous [B, Lq, L]) with the probabilities
    /// <c>softmax(scores·scale + keyBias)</c> over the visible keys and writes them after dropout into
    /// <paramref name="dropped"/>. <paramref name="keyBias"/> is the padding term, [B, L] contiguous.
    /// </summary>
    /// <param name="causal">Whether a query at position i sees keys 0..i only (true) or every key (false).</param>
    public static void Forward(Tensor scores, Tensor dropped, Tensor keyBias, Tensor? queryPositions, float scale, DropoutDraw? draw, bool causal = true)
    {
        var rows = new RowLayout(scores, queryPositions, causal);
        var probs = (float*)TensorMemory.Address(scores, ScalarType.Float32);
        var output = (float*)TensorMemory.Address(dropped, ScalarType.Float32);
        var bias = (float*)TensorMemory.Address(keyBias, ScalarType.Float32);
        rows.ForEach(row =>
        {
            var start = row * rows.Length;
            ForwardRow(probs + start, output + start, bias + rows.Sequence(row) * rows.Length, rows.Visible(row), rows.Length, scale, start, draw);
        });
    }

    /// <summary>
    /// The gradient of the raw scores, <c>scale · p ⊙ (g − Σ g·p)</c> with g the dropped probabilities' gradient
    /// <paramref name="gradDropped"/> after the dropout mask (drawn again from its stream), into <paramref name="gradScores"/>.
    /// </summary>
    public static void Backward(Tensor gradDropped, Tensor probs, Tensor gradScores, Tensor? queryPositions, float scale, DropoutDraw? draw, bool causal = true)
    {
        var rows = new RowLayout(probs, queryPositions, causal);
        var incoming = (float*)TensorMemory.Address(gradDropped, ScalarType.Float32);
        var saved = (float*)TensorMemory.Address(probs, ScalarType.Float32);
        var output = (float*)TensorMemory.Address(gradScores, ScalarType.Float32);
        rows.ForEach(row =>
        {
            var start = row * rows.Length;
            BackwardRow(incoming + start, saved + start, output + start, rows.Visible(row), rows.Length, scale, start, draw);
        });
    }

    // Rows are processed in groups of eight keys up to the first group past the visible ones; lanes past them are
    // masked to probability 0, so only a group that would run past the row's end needs scalar code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(float* x, float* y, float* bias, int visible, int length, float scale, long start, DropoutDraw? draw)
    {
        var vectorEnd = VectorEnd(visible, length);
        var (scaleVector, lanes) = (Vector256.Create(scale), Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7));
        var negativeInfinity = Vector256.Create(float.NegativeInfinity);
        var max = negativeInfinity;
        for (var j = 0; j < vectorEnd; j += 8)
        {
            var inside = Vector256.LessThan(lanes, Vector256.Create(visible - j)).AsSingle();
            var s = Vector256.ConditionalSelect(inside, Vector256.Load(x + j) * scaleVector + Vector256.Load(bias + j), negativeInfinity);
            s.Store(x + j);
            max = Vector256.Max(max, s);
        }
        var rowMax = HorizontalMax(max);
        for (var j = vectorEnd; j < visible; j++)
        {
            x[j] = x[j] * scale + bias[j];
            rowMax = MathF.Max(rowMax, x[j]);
        }

        var maxVector = Vector256.Create(rowMax);
        var sums = Vector256<float>.Zero;
        for (var j = 0; j < vectorEnd; j += 8)
        {
            var e = Vector256.Exp(Vector256.Load(x + j) - maxVector);
            e.Store(x + j);
            sums += e;
        }
        var sum = Vector256.Sum(sums);
        for (var j = vectorEnd; j < visible; j++)
        {
            x[j] = MathF.Exp(x[j] - rowMax);
            sum += x[j];
        }

        var inverse = 1f / sum;
        var inverseVector = Vector256.Create(inverse);
        for (var j = 0; j < vectorEnd; j += 8)
        {
            var p = Vector256.Load(x + j) * inverseVector;
            p.Store(x + j);
            (draw is { } d ? p * DropoutKernels.Multipliers(d.Seed, start + j, d.DropBelow, d.Scale) : p).Store(y + j);
        }
        for (var j = vectorEnd; j < visible; j++)
        {
            x[j] *= inverse;
            y[j] = draw is { } d ? x[j] * DropoutKernels.Multiplier(d.Seed, start + j, d.DropBelow, d.Scale) : x[j];
        }
        var written = Math.Max(vectorEnd, visible);
        new Span<float>(x + written, length - written).Clear();
        new Span<float>(y + written, length - written).Clear();
    }

    // Lanes past the visible keys hold probability 0 (written by ForwardRow), so they contribute nothing here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(float* g, float* p, float* output, int visible, int length, float scale, long start, DropoutDraw? draw)
    {
        // output first holds the gradient after the dropout mask, then the scores' gradient.
        var vectorEnd = VectorEnd(visible, length);
        var dots = Vector256<float>.Zero;
        for (var j = 0; j < vectorEnd; j += 8)
        {
            var gradient = Vector256.Load(g + j);
            if (draw is { } d) gradient *= DropoutKernels.Multipliers(d.Seed, start + j, d.DropBelow, d.Scale);
            gradient.Store(output + j);
            dots += gradient * Vector256.Load(p + j);
        }
        var dot = Vector256.Sum(dots);
        for (var j = vectorEnd; j < visible; j++)
        {
            output[j] = draw is { } d ? g[j] * DropoutKernels.Multiplier(d.Seed, start + j, d.DropBelow, d.Scale) : g[j];
            dot += output[j] * p[j];
        }

        var (dotVector, scaleVector) = (Vector256.Create(dot), Vector256.Create(scale));
        for (var j = 0; j < vectorEnd; j += 8)
            (Vector256.Load(p + j) * (Vector256.Load(output + j) - dotVector) * scaleVector).Store(output + j);
        for (var j = vectorEnd; j < visible; j++) output[j] = p[j] * (output[j] - dot) * scale;
        var written = Math.Max(vectorEnd, visible);
        new Span<float>(output + written, length - written).Clear();
    }

    /// <summary>Where the groups of eight keys stop: past the visible keys, but never past the row's end.</summary>
    private static int VectorEnd(int visible, int length) => Math.Min((visible + 7) & ~7, length & ~7);

    private static float HorizontalMax(Vector256<float> v)
    {
        var max = float.NegativeInfinity;
        for (var i = 0; i < Vector256<float>.Count; i++) max = MathF.Max(max, v[i]);
        return max;
    }

    /// <summary>Rows of a [B, Lq, L] tensor: which sequence each belongs to and how many keys it sees.</summary>
    private sealed class RowLayout
    {
        private readonly long[]? _positions;
        private readonly long _queries;
        private readonly long _count;
        private readonly bool _causal;

        public RowLayout(Tensor scores, Tensor? queryPositions, bool causal)
        {
            _causal = causal;
            (_queries, Length) = (scores.shape[1], (int)scores.shape[2]);
            _count = scores.shape[0] * _queries;
            _positions = queryPositions?.data<long>().ToArray();
        }

        public int Length { get; }

        public long Sequence(long row) => row / _queries;

        /// <summary>Keys 0..position of the row's query, capped at the sequence length; every key when not causal.</summary>
        public int Visible(long row) => _causal ? (int)Math.Min(Length, 1 + (_positions?[row / _queries] ?? row % _queries)) : Length;

        public void ForEach(Action<long> body) =>
            Parallel.For(0, (_count + RowsPerTask - 1) / RowsPerTask, task =>
            {
                var end = Math.Min(_count, (task + 1) * RowsPerTask);
                for (var row = task * RowsPerTask; row < end; row++) body(row);
            });
    }
}

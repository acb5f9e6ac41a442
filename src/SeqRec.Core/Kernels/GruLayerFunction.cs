using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// One GRU layer over a whole batch-first sequence, [B, L, in] → [B, L, H], from a zero initial state, with PyTorch's
/// equations and gate order (r, z, n):
/// <c>r = σ(x W_ir + b_ir + h W_hr + b_hr)</c>, <c>z = σ(…)</c>, <c>n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))</c>,
/// <c>h' = n + z ⊙ (h − n)</c>.
/// </summary>
/// <remarks>
/// libtorch's CPU GRU records every step's gate arithmetic in the autograd graph (about eight tensor passes per step
/// forward, more backward) and multiplies each step's gate gradients into the weight gradients one step at a time.
/// Here only what must be sequential is: the recurrent product <c>h W_hh</c> and the gate arithmetic, one pass per
/// step in each direction (<see cref="GruStepKernels"/>). The input projection and the weight and input gradients are
/// GEMMs over a chunk of steps at once (B·steps rows). Chunks keep every buffer small enough (<see cref="ChunkBytes"/>)
/// to be reused from the heap instead of being mapped and zeroed afresh by the kernel each step, which at batch 2048
/// cost more than the gate arithmetic saved. Backward keeps the time-major input, the gates (r, z, n),
/// the recurrent n-term and the states: in + 5H floats per row and step.
/// </remarks>
internal sealed class GruLayerFunction : ScopedFunction<GruLayerFunction>
{
    /// <summary>The largest per-chunk buffer ([steps, B, 3H] float32), well below the allocator's mmap threshold.</summary>
    internal const long ChunkBytes = 32L << 20;

    public override string Name => nameof(GruLayerFunction);

    /// <param name="input">[B, L, in].</param>
    /// <param name="weightIh">[3H, in]; <paramref name="weightHh"/> [3H, H]; the biases [3H] or both null.</param>
    /// <param name="chunkBytes">The size that bounds a chunk of steps (tests make it small to cover several chunks).</param>
    /// <param name="activeRows">
    /// When given, the rows that step t computes are the first <c>activeRows[t]</c> (never more than at step t − 1):
    /// rows sorted by length, longest first, whose later steps nobody reads. The other rows' outputs at that step are
    /// zero and get no gradient. Null: every row at every step.
    /// </param>
    public static Tensor Apply(Tensor input, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh, long chunkBytes = ChunkBytes,
        long[]? activeRows = null)
    {
        var active = new ActiveRows(activeRows);
        return biasIh is null || biasHh is null
            ? apply(input, weightIh, weightHh, chunkBytes, active)
            : apply(input, weightIh, weightHh, biasIh, biasHh, chunkBytes, active);
    }

    /// <summary>The rows each step computes (<see cref="Apply"/>'s <c>activeRows</c>).</summary>
    private sealed record ActiveRows(long[]? PerStep)
    {
        public long At(long step, long batch) => PerStep is null ? batch : PerStep[step];
    }

    /// <summary>Consecutive ranges of steps, each of at most <see cref="ChunkBytes"/> of gates.</summary>
    private static List<(long Start, long Count)> Chunks(long length, long batch, long hidden, long chunkBytes)
    {
        var steps = Math.Max(1, chunkBytes / (batch * 3 * hidden * sizeof(float)));
        var chunks = new List<(long, long)>();
        for (long start = 0; start < length; start += steps) chunks.Add((start, Math.Min(steps, length - start)));
        return chunks;
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weightIh, weightHh) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        var (biasIh, biasHh) = vars.Length == 7 ? ((Tensor?)vars[3], (Tensor?)vars[4]) : (null, null);
        var (chunkBytes, active) = ((long)vars[^2], (ActiveRows)vars[^1]);
        var (batch, length, hidden) = (input.shape[0], input.shape[1], weightHh.shape[1]);
        var chunks = Chunks(length, batch, hidden, chunkBytes);

        // What is saved for backward must outlive this call: TorchSharp hands it to libtorch after forward returns.
        var saved = new List<Tensor> { weightIh, weightHh };
        var output = empty([batch, length, hidden], input.dtype, input.device);
        using var temporaries = NewDisposeScope();
        var inputT = weightIh.t();
        var recurrentT = weightHh.t();
        Tensor? previous = null;
        foreach (var (start, count) in chunks)
        {
            var inputSteps = StepsFirst(input, start, count).MoveToOuterDisposeScope();
            var gates = empty([count, batch, 3 * hidden], input.dtype, input.device).MoveToOuterDisposeScope();   // r, z, n
            var recurrentN = empty([count, batch, hidden], input.dtype, input.device).MoveToOuterDisposeScope();  // h W_hn + b_hn
            var states = empty([count, batch, hidden], input.dtype, input.device).MoveToOuterDisposeScope();
            saved.AddRange([inputSteps, gates, recurrentN, states]);
            using (NewDisposeScope())
            {
                // With every row running, one GEMM over the chunk; otherwise one per step over its running rows.
                Tensor? inputGates = null;
                if (active.PerStep is null)
                {
                    inputGates = inputSteps.view(count * batch, -1).matmul(inputT);
                    if (biasIh is not null) inputGates.add_(biasIh);
                    inputGates = inputGates.view(count, batch, 3 * hidden);
                }
                for (long t = 0; t < count; t++)
                {
                    using var step = NewDisposeScope();
                    var rows = active.At(start + t, batch);
                    var state = states[t];
                    // The output after a row's length is zero; its gates are never read (backward narrows to the running rows).
                    if (rows < batch) state.narrow(0, rows, batch - rows).zero_();
                    if (rows == 0)
                    {
                        previous = state.MoveToOuterDisposeScope();
                        continue;
                    }
                    var last = previous?.narrow(0, 0, rows);
                    var recurrent = last is null
                        ? (biasHh is null ? zeros([rows, 3 * hidden], input.dtype, input.device) : biasHh.expand(rows, -1).contiguous())
                        : biasHh is null ? last.matmul(recurrentT) : addmm(biasHh, last, recurrentT, 1, 1);
                    var runningInput = inputSteps[t].narrow(0, 0, rows);
                    var stepInputGates = inputGates is not null ? inputGates[t]
                        : biasIh is null ? runningInput.matmul(inputT) : addmm(biasIh, runningInput, inputT, 1, 1);
                    GruStepKernels.Forward(stepInputGates.narrow(0, 0, rows), recurrent, last, gates[t].narrow(0, 0, rows),
                        recurrentN[t].narrow(0, 0, rows), state.narrow(0, 0, rows));
                    previous = state.MoveToOuterDisposeScope();
                }
            }
            previous = states[count - 1];
            output.narrow(1, start, count).copy_(states.transpose(0, 1));
        }

        ctx.save_for_backward(saved);
        ctx.save_data("bias", biasIh is not null);
        ctx.save_data("length", length);
        ctx.save_data("chunkBytes", chunkBytes);
        ctx.save_data("active", active);
        return output;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var (weightIh, weightHh) = (saved[0], saved[1]);
        Tensor Saved(int chunk, int which) => saved[2 + 4 * chunk + which];
        var (batch, length, hidden, inputSize) = (Saved(0, 0).shape[1], (long)ctx.get_data("length"), weightHh.shape[1], weightIh.shape[1]);
        var chunks = Chunks(length, batch, hidden, (long)ctx.get_data("chunkBytes"));
        var active = (ActiveRows)ctx.get_data("active");

        var (dtype, device) = (weightIh.dtype, weightIh.device);
        var gradInput = empty([batch, length, inputSize], dtype, device);
        var gradWeightIh = zeros_like(weightIh);
        var gradWeightHh = zeros_like(weightHh);
        var gradBiasIh = zeros([3 * hidden], weightIh.dtype, weightIh.device);
        var gradBiasHh = zeros([3 * hidden], weightIh.dtype, weightIh.device);
        var gradState = zeros([batch, hidden], dtype, device);
        var zeroState = zeros([1, batch, hidden], dtype, device);
        for (var c = chunks.Count - 1; c >= 0; c--)
        {
            using var chunkScope = NewDisposeScope();
            var (start, count) = chunks[c];
            var (inputSteps, gates, recurrentN, states) = (Saved(c, 0), Saved(c, 1), Saved(c, 2), Saved(c, 3));
            var previousStates = cat([c > 0 ? Saved(c - 1, 3).narrow(0, Saved(c - 1, 3).shape[0] - 1, 1) : zeroState, states.narrow(0, 0, count - 1)], 0);
            var gradSteps = StepsFirst(gradOutput, start, count);
            var gradInputGates = empty([count, batch, 3 * hidden], dtype, device);
            var gradRecurrent = empty([count, batch, 3 * hidden], dtype, device);
            for (var t = count - 1; t >= 0; t--)
            {
                using var step = NewDisposeScope();
                var rows = active.At(start + t, batch);
                if (rows < batch)
                {
                    gradInputGates[t].narrow(0, rows, batch - rows).zero_();
                    gradRecurrent[t].narrow(0, rows, batch - rows).zero_();
                }
                if (rows == 0) continue;
                var gradHidden = gradRecurrent[t].narrow(0, 0, rows);
                var previous = start + t > 0 ? previousStates[t].narrow(0, 0, rows) : null;
                var gradStateRows = gradState.narrow(0, 0, rows);
                GruStepKernels.Backward(gradStateRows, gradSteps[t].narrow(0, 0, rows), gates[t].narrow(0, 0, rows),
                    recurrentN[t].narrow(0, 0, rows), previous, gradInputGates[t].narrow(0, 0, rows), gradHidden);
                gradStateRows.addmm_(gradHidden, weightHh, 1, 1);
            }

            var rowsGradInput = gradInputGates.view(count * batch, 3 * hidden);
            var rowsGradRecurrent = gradRecurrent.view(count * batch, 3 * hidden);
            gradBiasIh.add_(rowsGradInput.sum(dim: 0));
            gradBiasHh.add_(rowsGradRecurrent.sum(dim: 0));
            if (active.PerStep is null)
            {
                gradWeightIh.addmm_(rowsGradInput.t(), inputSteps.view(count * batch, -1), 1, 1);
                gradWeightHh.addmm_(rowsGradRecurrent.t(), previousStates.view(count * batch, hidden), 1, 1);
                gradInput.narrow(1, start, count).copy_(rowsGradInput.matmul(weightIh).view(count, batch, -1).transpose(0, 1));
                continue;
            }
            var gradInputSteps = zeros([count, batch, inputSize], dtype, device);
            for (var t = 0; t < count; t++)
            {
                using var step = NewDisposeScope();
                var rows = active.At(start + t, batch);
                if (rows == 0) continue;
                var (stepGradInput, stepGradRecurrent) = (gradInputGates[t].narrow(0, 0, rows), gradRecurrent[t].narrow(0, 0, rows));
                gradWeightIh.addmm_(stepGradInput.t(), inputSteps[t].narrow(0, 0, rows), 1, 1);
                gradWeightHh.addmm_(stepGradRecurrent.t(), previousStates[t].narrow(0, 0, rows), 1, 1);
                gradInputSteps[t].narrow(0, 0, rows).copy_(stepGradInput.matmul(weightIh));
            }
            gradInput.narrow(1, start, count).copy_(gradInputSteps.transpose(0, 1));
        }
        return (bool)ctx.get_data("bias")
            ? [gradInput, gradWeightIh, gradWeightHh, gradBiasIh, gradBiasHh, null, null]
            : [gradInput, gradWeightIh, gradWeightHh, null, null];
    }

    /// <summary>Steps <paramref name="start"/>.. of a batch-first [B, L, d] tensor as a contiguous [count, B, d] copy.</summary>
    private static Tensor StepsFirst(Tensor batchFirst, long start, long count) =>
        batchFirst.narrow(1, start, count).transpose(0, 1).contiguous();
}

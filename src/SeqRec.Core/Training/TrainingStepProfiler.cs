using TorchSharp;
using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;

namespace SeqRec.Training;

/// <summary>
/// Measures where a training step's time goes: waiting for the batch, the forward pass with the loss (up to reading
/// its value), backward, and the optimizer (zeroing, clipping, Adam). Torch's CPU ops are synchronous, so wall-clock
/// time per phase is exact. The steps are <see cref="TrainingStep"/>s and really train the model: profile a throwaway one.
/// </summary>
public static class TrainingStepProfiler
{
    public static StepProfile Profile(SequentialRecommender model, TrainerConfig config, IEnumerable<Batch> batches, int warmupSteps = 1)
    {
        using var step = new TrainingStep(model, config);
        model.train();
        var totals = new double[4];
        var steps = 0;
        var samples = 0;
        var clock = Stopwatch.StartNew();
        long? aliveAfterFirst = null, aliveAfterLast = null;
        SeqRec.Benchmarks.NativeHeapFigures? heapAfterFirst = null, heapAfterLast = null;
        using var source = batches.GetEnumerator();
        for (var index = 0; ; index++)
        {
            var phases = new double[4];
            var mark = clock.Elapsed;
            void Lap(int phase)
            {
                var now = clock.Elapsed;
                phases[phase] = (now - mark).TotalMilliseconds;
                mark = now;
            }

            if (!source.MoveNext()) break;
            Lap(0);
            using (var batch = source.Current)
            {
                step.Run(batch, phase => Lap(1 + (int)phase));
                samples += index < warmupSteps ? 0 : batch.Size;
            }
            if (index < warmupSteps) continue;
            aliveAfterLast = torch.Tensor.TotalCount;
            aliveAfterFirst ??= aliveAfterLast;
            heapAfterLast = SeqRec.Benchmarks.NativeHeap.Read();
            heapAfterFirst ??= heapAfterLast;
            for (var p = 0; p < phases.Length; p++) totals[p] += phases[p];
            steps++;
        }
        if (steps == 0) throw new ArgumentException($"need more than {warmupSteps} warm-up batches to measure anything", nameof(batches));
        return new StepProfile(steps, samples, totals[0] / steps, totals[1] / steps, totals[2] / steps, totals[3] / steps)
        {
            TensorsLeftPerStep = steps > 1 ? (double)(aliveAfterLast!.Value - aliveAfterFirst!.Value) / (steps - 1) : 0,
            HeapAfterFirst = heapAfterFirst,
            HeapAfterLast = heapAfterLast,
        };
    }
}

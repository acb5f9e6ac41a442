using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Training;

/// <summary>
/// Measures where a training step's time goes: waiting for the batch, the encoder forward pass, the loss (scoring
/// and CE/BPR, up to reading its value), backward, and the optimizer (zeroing, clipping, Adam). Torch's CPU ops are
/// synchronous, so wall-clock time per phase is exact. The steps really train the model: profile a throwaway one.
/// </summary>
public static class TrainingStepProfiler
{
    public static StepProfile Profile(SequentialRecommender model, TrainerConfig config, IEnumerable<Batch> batches, int warmupSteps = 1)
    {
        var parameters = model.parameters().ToList();
        using var optimizer = new Adam(parameters, lr: config.LearningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: config.WeightDecay);
        model.train();
        var totals = new double[5];
        var steps = 0;
        var samples = 0;
        var clock = Stopwatch.StartNew();
        using var source = batches.GetEnumerator();
        for (var step = 0; ; step++)
        {
            var phases = new double[5];
            var mark = clock.Elapsed;
            double Lap()
            {
                var now = clock.Elapsed;
                var ms = (now - mark).TotalMilliseconds;
                mark = now;
                return ms;
            }

            if (!source.MoveNext()) break;
            phases[0] = Lap();
            using var batch = source.Current;
            using (NoCollectionScope.Begin())
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var seqOutput = model.Encode(batch.ItemSeq, batch.ItemSeqLen);
                phases[1] = Lap();
                var loss = model.LossFrom(seqOutput, batch.PosItems, batch.NegItems);
                _ = loss.item<float>();
                phases[2] = Lap();
                loss.backward();
                phases[3] = Lap();
                if (config.ClipGradNorm is { } maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
                optimizer.step();
                phases[4] = Lap();
            }
            if (step < warmupSteps) continue;
            for (var p = 0; p < phases.Length; p++) totals[p] += phases[p];
            steps++;
            samples += batch.Size;
        }
        if (steps == 0) throw new ArgumentException($"need more than {warmupSteps} warm-up batches to measure anything", nameof(batches));
        return new StepProfile(steps, samples, totals[0] / steps, totals[1] / steps, totals[2] / steps, totals[3] / steps, totals[4] / steps);
    }
}

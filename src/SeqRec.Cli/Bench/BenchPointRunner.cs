using System.Diagnostics;
using SeqRec.Benchmarks;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Modeling;
using SeqRec.Runs;
using TorchSharp;

namespace SeqRec.Cli.Bench;

/// <summary>
/// Measures one (model, sequence length) point in this process: training epochs through the real trainer (the first
/// is a warm-up and not counted), full-ranking evaluation of the test split, inference latency at batch 1 and 256, and
/// the process's peak resident memory: when training ends, during evaluation alone, and over the whole point. With <c>full</c>, trains to early stopping and records the test metrics.
/// </summary>
internal static class BenchPointRunner
{
    /// <summary>Timed test evaluations per point; the report gives their median.</summary>
    private const int EvalRepetitions = 5;

    /// <param name="steps">When positive, time this many training steps (after two warm-up steps) instead of whole
    /// epochs, and report seconds per epoch as the mean step time × batches per epoch (for long sequences, where an
    /// epoch takes many minutes).</param>
    public static BenchPoint Measure(ModelRegistry models, ConfigRequest request, int maxLength, int epochs, int steps, bool full, string workFolder, TextWriter log)
    {
        var sets = new List<string>(request.Sets) { $"data.max_item_list_length={maxLength}" };
        if (!full) sets.AddRange([$"trainer.epochs={epochs + 1}", $"trainer.eval_step={epochs + 2}"]);
        var config = ConfigResolver.Resolve(request with { Sets = sets }, models);

        using var experiment = Experiment.Prepare(config, log);
        var batchesPerEpoch = (experiment.Dataset.Train.Count + config.Trainer.TrainBatchSize - 1) / config.Trainer.TrainBatchSize;
        List<double> measured;
        SeqRec.Training.TrainingResult? result = null;
        if (steps > 0 && !full)
        {
            // Two warm-up steps: the first steps also grow the process heap, which later steps reuse.
            var batches = experiment.CreateTrainingData().TrainBatches(0).Take(steps + 2);
            var profile = SeqRec.Training.TrainingStepProfiler.Profile(experiment.Model, config.Trainer, batches, warmupSteps: 2);
            log.WriteLine(profile.ToString());
            measured = [profile.TotalMs / 1000 * batchesPerEpoch];
        }
        else
        {
            var setup = experiment.CreateRunSetup();
            var (run, resume) = full
                ? FullRunFolder(Path.Combine(workFolder, "runs", $"{config.Model.Id}-L{maxLength}"), setup.ConfigToml, log)
                : (RunDirectory.Create(Path.Combine(workFolder, "runs"), config.Model.Id, experiment.Dataset.Name, DateTime.Now), false);
            result = TrainingRun.Execute(run, setup, new SeqRec.Training.PlainTextTrainingObserver(log), resume);
            measured = result.History.Skip(1).Select(e => e.TrainSeconds).ToList();
            if (measured.Count == 0) measured = result.History.Select(e => e.TrainSeconds).ToList();
        }

        var trainingPeak = ProcessMemory.PeakResident();
        var evalPeakMeasured = ProcessMemory.ResetPeak();
        var model = experiment.Model;
        model.eval();
        var test = experiment.Dataset.Test;
        var evaluator = experiment.CreateEvaluator();
        var evalBatch = config.Eval.EvalBatchSize;
        evaluator.Evaluate(model, test, experiment.EvaluationBatches(test, evalBatch)); // warm-up
        var evalRuns = new List<double>();
        for (var run = 0; run < EvalRepetitions; run++)
        {
            var watch = Stopwatch.StartNew();
            evaluator.Evaluate(model, test, experiment.EvaluationBatches(test, evalBatch));
            evalRuns.Add(watch.Elapsed.TotalSeconds);
        }
        long? evalPeak = evalPeakMeasured ? ProcessMemory.PeakResident() : null;

        return new BenchPoint
        {
            Model = config.Model.Id,
            MaxLength = maxLength,
            Parameters = model.parameters().Sum(p => p.numel()),
            TrainBatchSize = config.Trainer.TrainBatchSize,
            BatchesPerEpoch = batchesPerEpoch,
            MeasuredSteps = steps > 0 && !full ? steps : null,
            EpochSeconds = measured,
            EvalSeconds = BenchPoint.Median(evalRuns),
            EvalRunSeconds = evalRuns,
            LatencyMsBatch1 = LatencyPerUser(experiment, 1),
            LatencyMsBatch256 = LatencyPerUser(experiment, 256),
            PeakRssBytes = Math.Max(Math.Max(trainingPeak, ProcessMemory.PeakResident()), result?.PeakResidentBytes ?? 0),
            TrainingPeakRssBytes = trainingPeak,
            EvalPeakRssBytes = evalPeak,
            TestMetrics = full && result is not null ? result.Test.ToDictionary(k => k.Key, k => k.Value) : new Dictionary<string, double>(),
            BestEpoch = full ? result?.BestEpoch : null,
            TorchThreads = torch.get_num_threads(),
        };
    }

    /// <summary>
    /// A full point trains in a folder of its own name, so a benchmark stopped during a long training continues it:
    /// the run is resumed when its folder holds a resume state made with the same configuration, and started afresh
    /// otherwise (a stale folder is cleared first).
    /// </summary>
    private static (RunDirectory Run, bool Resume) FullRunFolder(string path, string configToml, TextWriter log)
    {
        var existing = RunDirectory.CreateAt(path);
        if (File.Exists(existing.ResumeStatePath) && File.Exists(existing.ConfigPath)
            && string.Equals(File.ReadAllText(existing.ConfigPath), configToml, StringComparison.Ordinal))
        {
            log.WriteLine($"resuming the training in {existing.Path}");
            return (existing, true);
        }
        Directory.Delete(existing.Path, recursive: true);
        return (RunDirectory.CreateAt(path), false);
    }

    /// <summary>Median milliseconds per user to score every item, for one batch of up to <paramref name="batchSize"/> test users.</summary>
    private static double LatencyPerUser(Experiment experiment, int batchSize)
    {
        var times = new List<double>();
        using var noGrad = torch.no_grad();
        using var batch = experiment.EvaluationBatches(experiment.Dataset.Test, batchSize).First();
        var repetitions = batchSize == 1 ? 30 : 5;
        for (var r = -2; r < repetitions; r++)
        {
            using var scope = torch.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            experiment.Model.FullSortScores(batch);
            watch.Stop();
            if (r >= 0) times.Add(watch.Elapsed.TotalMilliseconds / batch.Size);
        }
        return BenchPoint.Median(times);
    }
}

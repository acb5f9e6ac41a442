using System.Diagnostics;
using SeqRec.Benchmarks;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Models;
using SeqRec.Runs;
using TorchSharp;

namespace SeqRec.Cli.Bench;

/// <summary>
/// Measures one (model, sequence length) point in this process: training epochs through the real trainer (the first
/// is a warm-up and not counted), full-ranking evaluation of the test split, inference latency at batch 1 and 256, and
/// the process's peak resident memory. With <c>full</c>, trains to early stopping and records the test metrics.
/// </summary>
internal static class BenchPointRunner
{
    public static BenchPoint Measure(ConfigRequest request, int maxLength, int epochs, bool full, string workFolder, TextWriter log)
    {
        var sets = new List<string>(request.Sets) { $"data.max_item_list_length={maxLength}" };
        if (!full) sets.AddRange([$"trainer.epochs={epochs + 1}", $"trainer.eval_step={epochs + 2}"]);
        var config = ConfigResolver.Resolve(request with { Sets = sets }, SeqRecModels.All);

        using var experiment = Experiment.Prepare(config, log);
        var run = RunDirectory.Create(Path.Combine(workFolder, "runs"), config.Model.Id, experiment.Dataset.Name, DateTime.Now);
        var result = TrainingRun.Execute(run, experiment.CreateRunSetup(), new SeqRec.Training.PlainTextTrainingObserver(log));
        var measured = result.History.Skip(1).Select(e => e.TrainSeconds).ToList();
        if (measured.Count == 0) measured = result.History.Select(e => e.TrainSeconds).ToList();

        var model = experiment.Model;
        model.eval();
        var test = experiment.Dataset.Test;
        var evaluator = experiment.CreateEvaluator();
        var evalBatch = config.Eval.EvalBatchSize;
        evaluator.Evaluate(model, test, EvalBatches.Enumerate(test, evalBatch)); // warm-up
        var watch = Stopwatch.StartNew();
        evaluator.Evaluate(model, test, EvalBatches.Enumerate(test, evalBatch));
        var evalSeconds = watch.Elapsed.TotalSeconds;

        return new BenchPoint
        {
            Model = config.Model.Id,
            MaxLength = maxLength,
            Parameters = model.parameters().Sum(p => p.numel()),
            TrainBatchSize = config.Trainer.TrainBatchSize,
            BatchesPerEpoch = result.History.Count > 0 ? result.History[0].Batches : 0,
            EpochSeconds = measured,
            EvalSeconds = evalSeconds,
            LatencyMsBatch1 = LatencyPerUser(model, test, 1),
            LatencyMsBatch256 = LatencyPerUser(model, test, 256),
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
            TestMetrics = full ? result.Test.ToDictionary(k => k.Key, k => k.Value) : new Dictionary<string, double>(),
            BestEpoch = full ? result.BestEpoch : null,
        };
    }

    /// <summary>Median milliseconds per user to score every item, with batches of <paramref name="batchSize"/> test users.</summary>
    private static double LatencyPerUser(SeqRec.Modeling.SequentialRecommender model, SampleSet test, int batchSize)
    {
        var times = new List<double>();
        using var noGrad = torch.no_grad();
        var repetitions = batchSize == 1 ? 30 : 5;
        var batches = EvalBatches.Enumerate(test, batchSize).GetEnumerator();
        for (var r = -2; r < repetitions && batches.MoveNext(); r++)
        {
            using var batch = batches.Current;
            using var scope = torch.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            model.FullSortScores(batch.ItemSeq, batch.ItemSeqLen);
            watch.Stop();
            if (r >= 0) times.Add(watch.Elapsed.TotalMilliseconds / batch.Size);
        }
        return BenchPoint.Median(times);
    }
}

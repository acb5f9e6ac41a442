using System.Diagnostics;
using SeqRec.Benchmarks;
using SeqRec.Configuration;
using SeqRec.Data;
using SeqRec.Evaluation;
using SeqRec.Modeling;
using SeqRec.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeqRec.Training;

/// <summary>
/// Trains any <see cref="SequentialRecommender"/> the way RecBole's trainer does, one <see cref="TrainingStep"/> per
/// batch (Adam with L2 weight decay, optional gradient-norm clipping), validation every <c>eval_step</c> epochs with early stopping on the rounded
/// valid metric, the best model checkpointed, and the test set evaluated with the best checkpoint.
/// <para>
/// Seeding is the caller's job: call <c>torch.manual_seed(seed)</c>, then build the model, then the trainer. Dropout
/// draws from torch's default generator, whose state is part of the resume state.
/// </para>
/// </summary>
public sealed class Trainer
{
    private readonly SequentialRecommender _model;
    private readonly TrainerConfig _config;
    private readonly Evaluator _evaluator;
    private readonly ITrainingObserver _observer;
    private readonly Benchmarks.NativeHeapLimit _heapLimit = new();

    public Trainer(SequentialRecommender model, TrainerConfig config, Evaluator evaluator, ITrainingObserver? observer = null)
    {
        _model = model;
        _config = config;
        _evaluator = evaluator;
        _observer = observer ?? new CompositeTrainingObserver();
    }

    /// <summary>
    /// Trains until early stopping or the epoch limit, then evaluates the test set with the best checkpoint.
    /// With <paramref name="resume"/>, continues from the resume state in <paramref name="outputs"/> and ends with
    /// the same result an uninterrupted run would have. Cancelling stops at the next batch; the last completed
    /// epoch's resume state stays on disk.
    /// </summary>
    public TrainingResult Fit(TrainingData data, TrainingOutputs outputs, bool resume = false, CancellationToken cancellation = default)
    {
        using var step = new TrainingStep(_model, _config);
        var optimizer = step.Optimizer;
        var state = ResumeState.Initial;
        if (resume)
        {
            var path = outputs.ResumeStatePath ?? throw new ArgumentException("resuming needs a resume state path", nameof(outputs));
            state = ResumeStateFile.Load(path, _model, optimizer);
        }

        var hasValid = data.Valid is { Count: > 0 };
        var batchesPerEpoch = (data.Train.Count + _config.TrainBatchSize - 1) / _config.TrainBatchSize;
        _observer.TrainingStarted(new TrainingStart(state.NextEpoch, _config.Epochs, batchesPerEpoch, data.Train.Count, resume)
        {
            StoppingStep = _config.StoppingStep,
            EvalStep = _config.EvalStep,
        });

        for (var epoch = state.NextEpoch; epoch < _config.Epochs && !state.Stopping.ShouldStop; epoch++)
        {
            var record = TrainEpoch(epoch, data, step, batchesPerEpoch, cancellation);
            _observer.EpochTrained(record);

            if (!hasValid)
            {
                // Without validation RecBole keeps the latest model as the "best" one.
                ModelCheckpoint.Save(outputs.BestCheckpointPath, _model, outputs.Checkpoint, epoch, MetricValues.Empty);
                state = state with { Stopping = state.Stopping with { BestEpoch = epoch } };
                record = record with { Improved = true };
            }
            else if ((epoch + 1) % _config.EvalStep == 0)
            {
                var clock = Stopwatch.StartNew();
                var valid = _evaluator.Evaluate(_model, data.Valid!, data.EvalBatches(data.Valid!));
                var seconds = clock.Elapsed.TotalSeconds;
                var score = valid[_evaluator.ValidMetricKey];
                var stopping = state.Stopping.Update(score, epoch, _config.StoppingStep);
                if (stopping.Improved)
                    ModelCheckpoint.Save(outputs.BestCheckpointPath, _model, outputs.Checkpoint, epoch, valid);
                state = state with { Stopping = stopping, BestValid = stopping.Improved ? valid : state.BestValid };
                record = record with { ValidScore = score, ValidMetrics = valid, ValidSeconds = seconds, Improved = stopping.Improved };
                _observer.Evaluated(new EvaluationReport("valid", epoch, valid, seconds, _evaluator.ValidMetricKey, stopping));
            }

            record = record with { PeakResidentBytes = ProcessMemory.TryPeakResident() };
            state = state with { CompletedEpoch = epoch, History = [.. state.History, record] };
            if (outputs.ResumeStatePath is { } resumePath) ResumeStateFile.Save(resumePath, state, _model, optimizer);
        }

        var test = TestBestModel(data, outputs, state);
        var result = new TrainingResult(state.Stopping.BestEpoch, state.BestValid, test, state.History, state.Stopping.ShouldStop, _evaluator.ValidMetricKey);
        _observer.TrainingFinished(result);
        return result;
    }

    private EpochRecord TrainEpoch(int epoch, TrainingData data, TrainingStep step, int expectedBatches, CancellationToken cancellation)
    {
        _model.train();
        var clock = Stopwatch.StartNew();
        var dataTime = TimeSpan.Zero;
        var lossSum = 0.0;
        var partSums = new Dictionary<string, double>(StringComparer.Ordinal);
        var batches = 0;
        var samples = 0;
        using var source = data.TrainBatches(epoch).GetEnumerator();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var waitStart = clock.Elapsed;
            if (!source.MoveNext()) break;
            dataTime += clock.Elapsed - waitStart;

            using var batch = source.Current;
            var (loss, parts) = step.Run(batch);
            if (double.IsNaN(loss))
                throw new TrainingDivergedException($"training loss is NaN at epoch {epoch}, batch {batches} (0-based); the weights diverged: lower trainer.learning_rate or set trainer.clip_grad_norm");
            lossSum += loss;
            foreach (var (name, value) in parts) partSums[name] = partSums.GetValueOrDefault(name) + value;
            batches++;
            samples += batch.Size;
            _heapLimit.TrimIfGrownSinceBaseline();
            _observer.BatchCompleted(new BatchProgress(epoch, batches, expectedBatches, samples, lossSum, clock.Elapsed));
        }
        ReleaseUnreferencedTensors();
        return new EpochRecord(epoch, lossSum, batches, samples, clock.Elapsed.TotalSeconds, dataTime.TotalSeconds, null, null, null, false)
        {
            LossParts = partSums.Count == 0 ? null : partSums,
        };
    }

    /// <summary>
    /// Tensors that no dispose scope owns free their native memory only when the .NET collector finalizes their
    /// wrappers, and a training loop allocates too little managed memory for that to happen often: measured on STAMP,
    /// the process grew by about 0.6 GB per ml-100k epoch without this. One full collection per epoch bounds it; the
    /// native heap's own growth is bounded by <see cref="Benchmarks.NativeHeapLimit"/>.
    /// </summary>
    private void ReleaseUnreferencedTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _heapLimit.TrimIfGrown();
    }

    private MetricValues TestBestModel(TrainingData data, TrainingOutputs outputs, ResumeState state)
    {
        if (state.Stopping.BestEpoch < 0)
        {
            // Validation never ran (eval_step beyond the epochs): keep the last model, as nothing better is known.
            _observer.Message("no validation ran; the last epoch's model is saved as the best checkpoint");
            ModelCheckpoint.Save(outputs.BestCheckpointPath, _model, outputs.Checkpoint, state.CompletedEpoch, MetricValues.Empty);
        }
        if (data.Test is not { Count: > 0 } testSet) return MetricValues.Empty;

        var header = ModelCheckpoint.LoadWeights(outputs.BestCheckpointPath, _model);
        var clock = Stopwatch.StartNew();
        var test = _evaluator.Evaluate(_model, testSet, data.EvalBatches(testSet));
        _observer.Evaluated(new EvaluationReport("test", header.Epoch, test, clock.Elapsed.TotalSeconds, _evaluator.ValidMetricKey, null));
        return test;
    }
}

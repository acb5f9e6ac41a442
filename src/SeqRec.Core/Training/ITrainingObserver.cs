using SeqRec.Evaluation;

namespace SeqRec.Training;

/// <summary>
/// Receives the trainer's progress: the console display, the run log and TensorBoard are observers. Every member has
/// an empty default, so an observer implements only what it shows. Calls arrive on the training thread.
/// </summary>
public interface ITrainingObserver
{
    void TrainingStarted(TrainingStart start) { }

    void BatchCompleted(BatchProgress progress) { }

    /// <summary>The training pass of an epoch ended; the record's valid fields are not filled yet.</summary>
    void EpochTrained(EpochRecord record) { }

    void Evaluated(EvaluationReport report) { }

    void Message(string text) { }

    void TrainingFinished(TrainingResult result) { }
}

/// <param name="FirstEpoch">0-based epoch training starts with (after the last completed epoch on resume).</param>
/// <param name="MaxEpochs">The epoch limit.</param>
/// <param name="BatchesPerEpoch">Expected training batches per epoch.</param>
/// <param name="TrainSamples">Training samples per epoch.</param>
/// <param name="Resumed">The run continues from a resume state.</param>
public sealed record TrainingStart(int FirstEpoch, int MaxEpochs, int BatchesPerEpoch, int TrainSamples, bool Resumed)
{
    /// <summary><c>trainer.stopping_step</c>: training stops after more evaluations than this without improvement; 0 when unknown.</summary>
    public int StoppingStep { get; init; }

    /// <summary>Epochs between evaluations (<c>trainer.eval_step</c>); 0 when unknown.</summary>
    public int EvalStep { get; init; }
}

/// <param name="Epoch">0-based epoch.</param>
/// <param name="Batch">Batches completed in this epoch.</param>
/// <param name="ExpectedBatches">Batches the epoch is expected to have.</param>
/// <param name="Samples">Samples seen in this epoch.</param>
/// <param name="LossSum">Sum of the batches' mean losses so far.</param>
/// <param name="Elapsed">Time since the epoch started.</param>
public sealed record BatchProgress(int Epoch, int Batch, int ExpectedBatches, int Samples, double LossSum, TimeSpan Elapsed)
{
    public double SamplesPerSecond => Elapsed.TotalSeconds > 0 ? Samples / Elapsed.TotalSeconds : 0;
}

/// <summary>One evaluation: a validation during training or the final test.</summary>
/// <param name="Split">"valid" or "test".</param>
/// <param name="Epoch">Epoch evaluated (for the test: the best checkpoint's epoch).</param>
/// <param name="Metrics">All metrics.</param>
/// <param name="Seconds">Wall time of the evaluation.</param>
/// <param name="ValidMetricKey">The early-stopping metric.</param>
/// <param name="Stopping">Early-stopping state after a validation; null for the test.</param>
public sealed record EvaluationReport(
    string Split,
    int Epoch,
    MetricValues Metrics,
    double Seconds,
    string ValidMetricKey,
    EarlyStopping? Stopping);

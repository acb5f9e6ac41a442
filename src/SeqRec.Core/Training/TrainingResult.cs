using System.Globalization;
using SeqRec.Evaluation;

namespace SeqRec.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="BestEpoch">Epoch of the best checkpoint (the last epoch when there is no validation set).</param>
/// <param name="BestValid">Valid metrics of the best epoch; empty without a validation set.</param>
/// <param name="Test">Test metrics of the best checkpoint; empty without a test set.</param>
/// <param name="History">Every completed epoch, resumed ones included.</param>
/// <param name="StoppedEarly">Training ended by early stopping rather than by reaching the epoch limit.</param>
/// <param name="ValidMetricKey">The early-stopping metric, e.g. <c>mrr@10</c>.</param>
public sealed record TrainingResult(
    int BestEpoch,
    MetricValues BestValid,
    MetricValues Test,
    IReadOnlyList<EpochRecord> History,
    bool StoppedEarly,
    string ValidMetricKey)
{
    /// <summary>The process's largest resident-set high-water mark over the epochs, bytes; null where not measured.</summary>
    public long? PeakResidentBytes => History.Max(e => e.PeakResidentBytes);

    /// <summary>The run's closing line: how training ended, its best epoch and, where measured, its peak memory.</summary>
    public string Outcome()
    {
        var ending = StoppedEarly ? "stopped early" : "reached the epoch limit";
        var peak = PeakResidentBytes is { } bytes ? string.Create(CultureInfo.InvariantCulture, $"; peak memory {bytes / 1e9:F2} GB") : "";
        return $"finished: {ending} after {History.Count} epochs; best epoch {BestEpoch} by {ValidMetricKey}{peak}";
    }
}

using System.Globalization;
using SeqRec.Evaluation;

namespace SeqRec.Training;

/// <summary>
/// Writes the run as plain text lines: one per epoch, one per evaluation, and a final table of the valid and test
/// metrics. Used for the run log, and for the console when no richer display is attached.
/// </summary>
public sealed class PlainTextTrainingObserver(TextWriter writer) : ITrainingObserver
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void TrainingStarted(TrainingStart start)
    {
        var from = start.Resumed ? $"resuming at epoch {start.FirstEpoch}" : "starting at epoch 0";
        WriteLine($"training: {from}, at most {start.MaxEpochs} epochs, {start.BatchesPerEpoch} batches per epoch ({start.TrainSamples.ToString("N0", Invariant)} samples)");
    }

    public void EpochTrained(EpochRecord record) =>
        WriteLine(string.Create(Invariant,
            $"epoch {record.Epoch} training [{record.TrainSeconds:F2} s, {record.Batches} batches, {record.SamplesPerSecond:N0} samples/s, data {record.DataSeconds:F2} s]: train loss {record.Loss:F4} (sum of the batch means, as RecBole reports it)")
            + string.Concat((record.LossParts ?? new Dictionary<string, double>()).Select(p => string.Create(Invariant, $", {p.Key} {p.Value:F4}"))));

    public void Evaluated(EvaluationReport report)
    {
        var headline = report.Metrics.TryGetValue(report.ValidMetricKey, out var score)
            ? string.Create(Invariant, $"{report.ValidMetricKey} {score:F4}")
            : "";
        var stopping = report.Stopping is { } s
            ? string.Create(Invariant, $" (best {s.BestScore:F4} at epoch {s.BestEpoch}{(s.Improved ? ", saved" : $", {s.Counter} without improvement")})")
            : "";
        var label = report.Split == "test" ? $"test (best epoch {report.Epoch})" : $"epoch {report.Epoch} {report.Split}";
        WriteLine(string.Create(Invariant, $"{label} [{report.Seconds:F2} s]: {headline}{stopping} | {report.Metrics}"));
    }

    public void Message(string text) => WriteLine(text);

    public void TrainingFinished(TrainingResult result)
    {
        var ending = result.StoppedEarly ? "stopped early" : "reached the epoch limit";
        WriteLine($"finished: {ending} after {result.History.Count} epochs; best epoch {result.BestEpoch} by {result.ValidMetricKey}");
        var columns = new List<(string, MetricValues)>();
        if (result.BestValid.Count > 0) columns.Add(("valid", result.BestValid));
        if (result.Test.Count > 0) columns.Add(("test", result.Test));
        if (columns.Count > 0) writer.Write(MetricsTable.Format(columns));
        writer.Flush();
    }

    private void WriteLine(string line)
    {
        writer.WriteLine(line);
        writer.Flush();
    }
}

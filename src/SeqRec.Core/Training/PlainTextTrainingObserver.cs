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
    private TrainingStart? _start;
    private double _epochSecondsSum;
    private int _epochsTimed;

    public void TrainingStarted(TrainingStart start)
    {
        _start = start;
        var from = start.Resumed ? $"resuming at epoch {start.FirstEpoch}" : "starting at epoch 0";
        WriteLine($"training: {from}, at most {start.MaxEpochs} epochs, {start.BatchesPerEpoch} batches per epoch ({start.TrainSamples.ToString("N0", Invariant)} samples)");
    }

    public void EpochTrained(EpochRecord record)
    {
        _epochSecondsSum += record.TrainSeconds + record.DataSeconds;
        _epochsTimed++;
        WriteLine(string.Create(Invariant,
            $"epoch {record.Epoch} training [{record.TrainSeconds:F2} s, {record.Batches} batches, {record.SamplesPerSecond:N0} samples/s, data {record.DataSeconds:F2} s]: train loss {record.Loss:F4} (sum of the batch means, as RecBole reports it)")
            + string.Concat((record.LossParts ?? new Dictionary<string, double>()).Select(p => string.Create(Invariant, $", {p.Key} {p.Value:F4}"))));
    }

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
        if (report.Stopping is { ShouldStop: false } state && Outlook(report.Epoch, state) is { } outlook) WriteLine(outlook);
    }

    /// <summary>
    /// How much is left after a validation: epochs to the limit, epochs to an early stop if nothing improves, and
    /// what they take at the mean epoch time so far (training plus validation).
    /// </summary>
    private string? Outlook(int epoch, EarlyStopping state)
    {
        if (_start is not { StoppingStep: > 0, EvalStep: > 0 } start || _epochsTimed == 0) return null;
        var toLimit = start.MaxEpochs - epoch - 1;
        if (toLimit <= 0) return null;
        // Training stops once more than stopping_step evaluations in a row brought nothing (RecBole's early_stopping).
        var toStop = Math.Min(toLimit, (start.StoppingStep - state.Counter + 1) * start.EvalStep);
        var perEpoch = _epochSecondsSum / _epochsTimed;
        return string.Create(Invariant,
            $"  next: epoch {epoch + 1} of at most {start.MaxEpochs}; about {Duration(perEpoch)} per epoch: {Duration(toStop * perEpoch)} left if the next {toStop} epochs bring no improvement (early stop), {Duration(toLimit * perEpoch)} at most (epoch limit)");
    }

    /// <summary>Seconds as a short human duration: 42 s, 3.5 min, 2.1 h.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 90 => string.Create(Invariant, $"{seconds:F0} s"),
        < 5400 => string.Create(Invariant, $"{seconds / 60:F1} min"),
        _ => string.Create(Invariant, $"{seconds / 3600:F1} h"),
    };

    public void Message(string text) => WriteLine(text);

    public void TrainingFinished(TrainingResult result)
    {
        WriteLine(result.Outcome());
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

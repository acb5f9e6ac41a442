using SeqRec.Training;

namespace SeqRec.Tests.Training;

/// <summary>Records events and runs test hooks at chosen points.</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public List<EpochRecord> Epochs { get; } = [];
    public List<EvaluationReport> Evaluations { get; } = [];
    public List<string> Messages { get; } = [];
    public Action<EpochRecord>? OnEpochTrained { get; init; }
    public Action<BatchProgress>? OnBatch { get; init; }

    public void BatchCompleted(BatchProgress progress) => OnBatch?.Invoke(progress);

    public void EpochTrained(EpochRecord record)
    {
        Epochs.Add(record);
        OnEpochTrained?.Invoke(record);
    }

    public void Evaluated(EvaluationReport report) => Evaluations.Add(report);

    public void Message(string text) => Messages.Add(text);
}

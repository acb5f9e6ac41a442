namespace SeqRec.Training;

/// <summary>Forwards every event to several observers, in order.</summary>
public sealed class CompositeTrainingObserver(params IReadOnlyList<ITrainingObserver> observers) : ITrainingObserver
{
    public void TrainingStarted(TrainingStart start) { foreach (var o in observers) o.TrainingStarted(start); }

    public void BatchCompleted(BatchProgress progress) { foreach (var o in observers) o.BatchCompleted(progress); }

    public void EpochTrained(EpochRecord record) { foreach (var o in observers) o.EpochTrained(record); }

    public void Evaluated(EvaluationReport report) { foreach (var o in observers) o.Evaluated(report); }

    public void Message(string text) { foreach (var o in observers) o.Message(text); }

    public void TrainingFinished(TrainingResult result) { foreach (var o in observers) o.TrainingFinished(result); }
}

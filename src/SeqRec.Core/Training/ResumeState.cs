using SeqRec.Evaluation;

namespace SeqRec.Training;

/// <summary>The bookkeeping of a run after its last completed epoch (weights, optimizer and RNG live beside it on disk).</summary>
/// <param name="CompletedEpoch">Last completed epoch, -1 before the first.</param>
/// <param name="Stopping">Early-stopping state.</param>
/// <param name="BestValid">Valid metrics of the best epoch so far.</param>
/// <param name="History">Every completed epoch.</param>
public sealed record ResumeState(int CompletedEpoch, EarlyStopping Stopping, MetricValues BestValid, IReadOnlyList<EpochRecord> History)
{
    public static ResumeState Initial { get; } = new(-1, EarlyStopping.Initial, MetricValues.Empty, []);

    public int NextEpoch => CompletedEpoch + 1;
}

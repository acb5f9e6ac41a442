using SeqRec.Evaluation;

namespace SeqRec.Training;

/// <summary>What happened in one epoch (numbered from 0, as in RecBole's logs).</summary>
/// <param name="Epoch">0-based epoch index.</param>
/// <param name="Loss">Sum of the batches' mean losses, as RecBole logs it.</param>
/// <param name="Batches">Training batches run.</param>
/// <param name="Samples">Training samples seen.</param>
/// <param name="TrainSeconds">Wall time of the training pass, data loading included.</param>
/// <param name="DataSeconds">Part of <paramref name="TrainSeconds"/> spent waiting for batches.</param>
/// <param name="ValidScore">The early-stopping metric, when the epoch was evaluated.</param>
/// <param name="ValidMetrics">Every valid metric, when the epoch was evaluated.</param>
/// <param name="ValidSeconds">Wall time of the validation, when the epoch was evaluated.</param>
/// <param name="Improved">The valid score matched or beat the best so far and the best checkpoint was written.</param>
public sealed record EpochRecord(
    int Epoch,
    double Loss,
    int Batches,
    int Samples,
    double TrainSeconds,
    double DataSeconds,
    double? ValidScore,
    MetricValues? ValidMetrics,
    double? ValidSeconds,
    bool Improved)
{
    public double SamplesPerSecond => TrainSeconds > 0 ? Samples / TrainSeconds : 0;

    /// <summary>Sums over the batches of each named loss term, for models whose loss has several; otherwise null.</summary>
    public IReadOnlyDictionary<string, double>? LossParts { get; init; }

    /// <summary>
    /// The process's resident-set high-water mark when the epoch and its validation ended, bytes (Linux; null
    /// elsewhere). A run's peak memory is the largest over its epochs, resumed ones included.
    /// </summary>
    public long? PeakResidentBytes { get; init; }
}

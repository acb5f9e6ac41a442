namespace SeqRec.Benchmarks;

/// <summary>
/// What one (model, sequence length) measurement of <c>seqrec bench compare</c> produced. Each point runs in its own
/// process, so <see cref="PeakRssBytes"/> is that process's honest high-water mark.
/// </summary>
public sealed record BenchPoint
{
    public required string Model { get; init; }
    public required int MaxLength { get; init; }
    public required long Parameters { get; init; }
    public required int TrainBatchSize { get; init; }
    public required int BatchesPerEpoch { get; init; }

    /// <summary>When set, the epoch time was estimated from this many timed training steps (mean step × batches per epoch).</summary>
    public int? MeasuredSteps { get; init; }

    /// <summary>Seconds of every measured training epoch (after the warm-up epoch), or the one estimate from steps.</summary>
    public required IReadOnlyList<double> EpochSeconds { get; init; }

    public double TrainSecondsPerEpoch => Median(EpochSeconds);

    /// <summary>Full-ranking evaluation of the test split, seconds: the median of <see cref="EvalRunSeconds"/> when it is set.</summary>
    public required double EvalSeconds { get; init; }

    /// <summary>Every timed evaluation (after a warm-up one); single timings on a shared machine vary by ±50%.</summary>
    public IReadOnlyList<double> EvalRunSeconds { get; init; } = [];

    /// <summary>Milliseconds per user to score all items, at batch 1 and at batch 256.</summary>
    public required double LatencyMsBatch1 { get; init; }
    public required double LatencyMsBatch256 { get; init; }

    public required long PeakRssBytes { get; init; }

    /// <summary>torch's intra-op threads in the process that measured the point (<c>trainer.threads</c>); null in older results.</summary>
    public int? TorchThreads { get; init; }

    /// <summary>
    /// The process's peak resident memory when training ended, before evaluation and the latency runs (which can add
    /// their own high-water mark at long sequences); null in results written before it was measured.
    /// </summary>
    public long? TrainingPeakRssBytes { get; init; }

    /// <summary>
    /// The peak resident memory while evaluating the test split (the high-water mark restarted when training ended, so
    /// it includes what stays resident from training: model, optimizer state, dataset); null when not measured.
    /// </summary>
    public long? EvalPeakRssBytes { get; init; }

    /// <summary>Test metrics after training to early stopping (<c>--full</c>), else empty.</summary>
    public IReadOnlyDictionary<string, double> TestMetrics { get; init; } = new Dictionary<string, double>();

    public int? BestEpoch { get; init; }

    /// <summary>Why the point failed (e.g. out of memory), or null.</summary>
    public string? Error { get; init; }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Engine;

/// <summary>
/// Runs one trial: resolve the configuration with the request's overrides, train with early stopping, and report the
/// best validation score and the test metrics. The real implementation wraps the trainer (<c>seqrec run</c>); tests
/// use a known function of the parameters.
/// </summary>
public interface ITrialRunner
{
    /// <summary>
    /// Runs the trial. A problem of the trial itself (divergence, bad configuration) may be returned as
    /// <see cref="TrialResult.Failed"/> or thrown; either way it is recorded and the study goes on. Cancellation
    /// (<see cref="OperationCanceledException"/> for <paramref name="cancellation"/>) interrupts the study instead.
    /// </summary>
    TrialResult Run(TrialRequest request, CancellationToken cancellation);
}

/// <summary>What one trial runs.</summary>
/// <param name="Number">The trial number within the study (0, 1, ...).</param>
/// <param name="Parameters">The sampled values by <c>section.key</c>.</param>
/// <param name="RunDirectory">A folder reserved for this trial's files (checkpoints, logs); not yet created.</param>
public sealed record TrialRequest(int Number, ParamAssignment Parameters, string RunDirectory)
{
    /// <summary>The parameters as <c>--set</c> arguments, e.g. <c>trainer.learning_rate=0.001</c>.</summary>
    public IReadOnlyList<string> Overrides => Parameters.ToOverrides();
}

public enum TrialStatus { Running, Ok, Failed }

/// <summary>The outcome of one trial. <see cref="BestValid"/> is the best value of the validation metric (higher is better).</summary>
public sealed record TrialResult
{
    public required TrialStatus Status { get; init; }

    public double? BestValid { get; init; }

    public IReadOnlyDictionary<string, double> Valid { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, double> Test { get; init; } = new Dictionary<string, double>();

    public string? Error { get; init; }

    /// <summary>The runner's own measure of the training time; the study measures the wall time when this is null.</summary>
    public TimeSpan? Duration { get; init; }

    public string? RunDirectory { get; init; }

    public static TrialResult Ok(double bestValid, IReadOnlyDictionary<string, double>? valid = null, IReadOnlyDictionary<string, double>? test = null, string? runDirectory = null) => new()
    {
        Status = TrialStatus.Ok,
        BestValid = bestValid,
        Valid = valid ?? new Dictionary<string, double>(),
        Test = test ?? new Dictionary<string, double>(),
        RunDirectory = runDirectory,
    };

    public static TrialResult Failed(string error) => new() { Status = TrialStatus.Failed, Error = error };
}

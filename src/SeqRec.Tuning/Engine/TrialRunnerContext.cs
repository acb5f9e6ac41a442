using SeqRec.Configuration;

namespace SeqRec.Tuning.Engine;

/// <summary>
/// What a trial runner needs besides each trial's values: the configuration every trial starts from (the model,
/// dataset, files and <c>--set</c> overrides given to <c>seqrec tune</c>, already validated) and the study's output folder.
/// </summary>
public sealed record TrialRunnerContext(ConfigRequest BaseRequest, ResolvedConfig BaseConfig, string OutputDirectory)
{
    /// <summary>The configuration request of one trial: the base request with the trial's values as the last <c>--set</c> overrides.</summary>
    public ConfigRequest RequestFor(TrialRequest trial) => BaseRequest with { Sets = [.. BaseRequest.Sets, .. trial.Overrides] };
}

using SeqRec.Tuning.Engine;
using SeqRec.Tuning.Space;

namespace SeqRec.Tuning.Sampling;

/// <summary>
/// Proposes the parameters of the next trial from the study so far (finished and running trials of every worker).
/// Samplers are deterministic given the study's seed, the history and the trial number, so a resumed or shared
/// study proposes what an uninterrupted one would have.
/// </summary>
public interface ISampler
{
    /// <summary>The next point to evaluate, never one already in <paramref name="history"/>; null when the space is exhausted.</summary>
    ParamAssignment? Propose(IReadOnlyList<TrialRecord> history, int trialNumber);
}

/// <summary>The search algorithms of <c>seqrec tune --algo</c>.</summary>
public enum SearchAlgorithm { Exhaustive, Random, Bayes }

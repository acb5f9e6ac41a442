namespace SeqRec.Training;

/// <summary>
/// Early-stopping state with RecBole's semantics: a (4-decimal rounded) valid score counts as an improvement when it
/// is <c>&gt;=</c> the best so far, ties included; otherwise a counter grows, and training stops once the counter
/// exceeds <c>stopping_step</c>, i.e. after stopping_step + 1 evaluations in a row without improvement.
/// </summary>
/// <param name="BestScore">Best valid score so far; null before the first evaluation (RecBole starts from -inf).</param>
/// <param name="BestEpoch">Epoch of <paramref name="BestScore"/>; -1 before the first evaluation.</param>
/// <param name="Counter">Evaluations since the last improvement.</param>
/// <param name="ShouldStop">The counter exceeded stopping_step.</param>
public sealed record EarlyStopping(double? BestScore, int BestEpoch, int Counter, bool ShouldStop)
{
    public static EarlyStopping Initial { get; } = new(null, -1, 0, false);

    /// <summary>Whether the last <see cref="Update"/> improved (or tied) the best score.</summary>
    public bool Improved { get; init; }

    public EarlyStopping Update(double score, int epoch, int stoppingStep)
    {
        // RecBole starts from -inf: a NaN score never counts as an improvement.
        if (score >= (BestScore ?? double.NegativeInfinity))
            return new EarlyStopping(score, epoch, 0, false) { Improved = true };
        var counter = Counter + 1;
        return new EarlyStopping(BestScore, BestEpoch, counter, counter > stoppingStep) { Improved = false };
    }
}

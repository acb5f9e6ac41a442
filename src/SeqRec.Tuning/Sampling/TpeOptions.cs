namespace SeqRec.Tuning.Sampling;

/// <summary>Settings of the Tree-structured Parzen Estimator (<c>--algo bayes</c>); docs/tuning.md explains each.</summary>
public sealed record TpeOptions
{
    /// <summary>Fraction of the scored trials that form the "good" group l(x) (at least 1, at most <see cref="MaxGood"/>); the rest form g(x).</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Upper limit of the good group, so l(x) stays sharp in long studies.</summary>
    public int MaxGood { get; init; } = 25;

    /// <summary>Trials drawn at random from the prior before the estimator takes over.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from l(x) per parameter; the one with the largest l(x)/g(x) is chosen.</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>Weight of the prior (the distribution as written) in every Parzen estimator, against 1 per observation.</summary>
    public double PriorWeight { get; init; } = 1.0;
}

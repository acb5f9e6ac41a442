namespace SeqRec.Cli.Comparison;

/// <summary>One finished run of a comparison.</summary>
/// <param name="Test">Test metrics of the best epoch, in the order the evaluator reports them.</param>
/// <param name="Cost">What the run cost, as its results.json records it.</param>
/// <param name="Reused">Finished by an earlier invocation and read back from its folder.</param>
public sealed record ComparisonRun(
    string Label,
    string Model,
    long Seed,
    string Folder,
    int BestEpoch,
    int Epochs,
    IReadOnlyList<KeyValuePair<string, double>> Test,
    RunCost Cost,
    bool Reused);

/// <summary>A run's size and cost.</summary>
/// <param name="TrainableParameters">Null in results written before parameters were recorded.</param>
/// <param name="MedianEpochSeconds">Median wall time of the run's training epochs (validation excluded).</param>
/// <param name="TrainingSeconds">Wall time of every epoch's training and validation, resumed epochs included.</param>
/// <param name="PeakRssBytes">The process's resident-set high-water mark during the run; null where not measured.</param>
public sealed record RunCost(long? TrainableParameters, double MedianEpochSeconds, double TrainingSeconds, long? PeakRssBytes);

namespace SeqRec.Cli.Comparison;

/// <summary>One finished run of a comparison.</summary>
/// <param name="Test">Test metrics of the best epoch, in the order the evaluator reports them.</param>
/// <param name="Reused">Finished by an earlier invocation and read back from its folder.</param>
public sealed record ComparisonRun(
    string Label,
    string Model,
    long Seed,
    string Folder,
    int BestEpoch,
    int Epochs,
    IReadOnlyList<KeyValuePair<string, double>> Test,
    bool Reused);

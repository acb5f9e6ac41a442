namespace SeqRec.Cli.Bench;

/// <summary>What <c>seqrec bench layers</c> measures: one forward+backward of encoder + CE loss per repetition.</summary>
public sealed record LayerBenchmarkOptions
{
    public int Batch { get; init; } = 256;
    public IReadOnlyList<int> Lengths { get; init; } = [50, 100, 200, 400];
    /// <summary>Item vocabulary including padding (ml-100k's 1683 by default).</summary>
    public int NItems { get; init; } = 1683;
    public int Warmup { get; init; } = 2;
    public int Repetitions { get; init; } = 5;
    /// <summary>Registered model ids; empty means every registered model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }
    public int Seed { get; init; } = 2020;
}

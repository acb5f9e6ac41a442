namespace SeqRec.Cli.Bench;

/// <summary>
/// One (model, L) measurement: wall-clock and process CPU milliseconds of one training forward+backward (CPU time
/// is the steadier figure on a shared machine; with one thread it is the compute cost).
/// <see cref="PeakMemoryBytes"/> is the growth of the process's peak resident set (VmHWM) over its resident set just
/// before the first step, measured in a fresh process per case so that earlier cases cannot hide it.
/// </summary>
public sealed record LayerBenchmarkResult(
    string Model,
    int Length,
    int Batch,
    long Parameters,
    double MedianMs,
    double MinMs,
    double MedianCpuMs,
    int Threads,
    long PeakMemoryBytes);

using System.Globalization;

namespace SeqRec.Training;

/// <summary>Mean milliseconds per training step, by phase, over <see cref="Steps"/> measured steps.</summary>
/// <param name="ForwardMs">The forward pass including the loss, up to reading its value.</param>
public sealed record StepProfile(int Steps, int Samples, double DataMs, double ForwardMs, double BackwardMs, double OptimizerMs)
{
    /// <summary>
    /// How many more tensor wrappers were alive after each measured step than before it, on average: tensors no
    /// dispose scope owns, whose native memory waits for a .NET collection. 0 for a model that cleans up after itself.
    /// </summary>
    public double TensorsLeftPerStep { get; init; }

    /// <summary>The native heap after the first measured step and after the last (null where glibc's figures are not available).</summary>
    public Benchmarks.NativeHeapFigures? HeapAfterFirst { get; init; }

    public Benchmarks.NativeHeapFigures? HeapAfterLast { get; init; }

    public double TotalMs => DataMs + ForwardMs + BackwardMs + OptimizerMs;

    public double SamplesPerSecond => TotalMs > 0 ? Samples / Steps / (TotalMs / 1000) : 0;

    public override string ToString()
    {
        string Part(string name, double ms) => string.Create(CultureInfo.InvariantCulture, $"{name} {ms:F1} ms ({100 * ms / TotalMs:F0}%)");
        return string.Create(CultureInfo.InvariantCulture, $"{Steps} steps, {TotalMs:F1} ms/step, {SamplesPerSecond:N0} samples/s: ")
            + string.Join(", ", Part("data", DataMs), Part("forward+loss", ForwardMs), Part("backward", BackwardMs), Part("optimizer", OptimizerMs))
            + string.Create(CultureInfo.InvariantCulture, $"; tensors left alive per step: {TensorsLeftPerStep:F1}")
            + (HeapAfterFirst is { } first && HeapAfterLast is { } last
                ? string.Create(CultureInfo.InvariantCulture,
                    $"; native heap after the first and last measured step: {Gb(first.HeldBytes)} → {Gb(last.HeldBytes)} GB held, {Gb(first.InUseBytes)} → {Gb(last.InUseBytes)} GB in use, {Gb(last.MappedBytes)} GB mapped apart")
                : "");
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F2", CultureInfo.InvariantCulture);
}

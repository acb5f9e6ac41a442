using System.Runtime.InteropServices;

namespace SeqRec.Benchmarks;

/// <summary>The machine a benchmark ran on, recorded beside its figures.</summary>
public sealed record MachineInfo(string Cpu, int Cores, int TorchThreads, string Os, string Runtime, string TorchSharp, string Allocator)
{
    public static MachineInfo Current()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return new MachineInfo(
            cpu ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            global::TorchSharp.torch.get_num_threads(),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            typeof(global::TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?",
            Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "glibc defaults");
    }

    /// <summary>
    /// This machine as the points were measured: their processes' torch threads (set by <c>trainer.threads</c>) replace
    /// this process's own when they all agree.
    /// </summary>
    public MachineInfo MeasuredBy(IReadOnlyCollection<BenchPoint> points) =>
        points.Select(p => p.TorchThreads).Where(t => t is not null).Distinct().ToList() is [{ } threads] ? this with { TorchThreads = threads } : this;
}

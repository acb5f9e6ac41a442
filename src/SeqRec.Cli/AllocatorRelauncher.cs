using System.Diagnostics;

namespace SeqRec.Cli;

/// <summary>
/// libtorch allocates fresh memory for large tensors every step, and first-touch page faults are slow on the virtual
/// machines we run on. Three glibc malloc settings fix most of it: transparent huge pages (<c>hugetlb=1</c>, about 3x
/// faster steps); blocks below 128 MiB served from the heap instead of fresh mmaps that go back to the kernel on every
/// free (<c>mmap_threshold</c>), with a trim threshold that never shrinks the heap, so freed tensors are reused without
/// page faults (system time of a SASRec step fell from 0.8 s to 0.15 s, the step from about 1.8 s to 1.55 s); and
/// blocks of 128 MiB and more still mmapped. That last part matters for long sequences: with every block on the heap
/// (<c>mmap_max=0</c>, our first setting), a SASRec step at L=400 fragmented the heap to 2.2x its live memory (9.0 GB
/// peak instead of 3.4 GB at batch 512) and ran out of memory at batch 2048; at L=50 no tensor reaches 128 MiB.
/// A heap that is never trimmed can still grow by fragmentation over a long run; the trainer bounds that
/// (<c>NativeHeapLimit</c>). The loader reads GLIBC_TUNABLES only at process start, so commands that run torch
/// re-execute this process once.
/// </summary>
internal static class AllocatorRelauncher
{
    public const string Tunable = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=134217728:glibc.malloc.trim_threshold=68719476736";
    public const string NoRelaunchVariable = "SEQREC_NO_RELAUNCH";

    private static readonly HashSet<string> TorchCommands = new(StringComparer.Ordinal) { "run", "tune", "bench", "evaluate", "recommend", "import" };

    /// <summary>The child's exit code if this process relaunched itself; null if it should go on itself.</summary>
    public static int? RelaunchIfNeeded(string[] args)
    {
        if (!OperatingSystem.IsLinux() || args.Length == 0 || !TorchCommands.Contains(args[0])) return null;
        if (Environment.GetEnvironmentVariable(NoRelaunchVariable) == "1")
        {
            ChildLifetime.TieToParent();
            return null;
        }
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        if (tunables.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal)) return null;

        if (Environment.ProcessPath is null) return null;
        var start = SelfInvocation.StartInfo();
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["GLIBC_TUNABLES"] = tunables.Length == 0 ? Tunable : $"{tunables}:{Tunable}";
        start.Environment[NoRelaunchVariable] = "1";
        start.Environment["SEQREC_RELAUNCHED"] = "1";
        start.Environment[ChildLifetime.ParentPidVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Ctrl+C reaches the child through the process group; this process only waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(start);
        if (child is null) return null;
        using var forwarding = ChildLifetime.ForwardSignals(child);
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>A line for --verbose output describing the allocator setting of this process.</summary>
    public static string Describe()
    {
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        var relaunched = Environment.GetEnvironmentVariable("SEQREC_RELAUNCHED") == "1";
        return tunables?.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal) == true
            ? $"allocator: GLIBC_TUNABLES={tunables} ({(relaunched ? "set by re-executing seqrec once" : "inherited from the environment")}; huge pages for malloc)"
            : "allocator: glibc defaults (GLIBC_TUNABLES not set; torch steps may spend much time in page faults)";
    }
}

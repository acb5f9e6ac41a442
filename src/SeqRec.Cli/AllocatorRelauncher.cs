using System.Diagnostics;

namespace SeqRec.Cli;

/// <summary>
/// libtorch allocates fresh memory for large tensors every step, and first-touch page faults are slow on the virtual
/// machines we run on; glibc's malloc with transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) made a
/// training step about 3x faster. The loader reads the variable only at process start, so commands that run torch
/// re-execute this process once with it set.
/// </summary>
internal static class AllocatorRelauncher
{
    public const string Tunable = "glibc.malloc.hugetlb=1";
    public const string NoRelaunchVariable = "SEQREC_NO_RELAUNCH";

    private static readonly HashSet<string> TorchCommands = new(StringComparer.Ordinal) { "run", "tune", "bench", "evaluate", "recommend", "import" };

    /// <summary>The child's exit code if this process relaunched itself; null if it should go on itself.</summary>
    public static int? RelaunchIfNeeded(string[] args)
    {
        if (!OperatingSystem.IsLinux() || args.Length == 0 || !TorchCommands.Contains(args[0])) return null;
        if (Environment.GetEnvironmentVariable(NoRelaunchVariable) == "1") return null;
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        if (tunables.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal)) return null;

        var host = Environment.ProcessPath;
        if (host is null) return null;
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        // Under `dotnet seqrec.dll` the process path is the dotnet host: pass the assembly along.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(AllocatorRelauncher).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["GLIBC_TUNABLES"] = tunables.Length == 0 ? Tunable : $"{tunables}:{Tunable}";
        start.Environment[NoRelaunchVariable] = "1";
        start.Environment["SEQREC_RELAUNCHED"] = "1";

        // Ctrl+C reaches the child through the process group; this process only waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(start);
        if (child is null) return null;
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

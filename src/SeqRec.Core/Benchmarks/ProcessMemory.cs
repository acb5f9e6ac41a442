using System.Globalization;

namespace SeqRec.Benchmarks;

/// <summary>Resident-set figures of this process from /proc/self/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set (VmRSS), bytes.</summary>
    public static long Resident() => Read("VmRSS:");

    /// <summary>Peak resident set since the process started (VmHWM), bytes. It cannot be reset.</summary>
    public static long PeakResident() => Read("VmHWM:");

    private static long Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) throw new PlatformNotSupportedException("memory figures need /proc/self/status (Linux)");
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new PlatformNotSupportedException($"{status} has no {field}");
        var kilobytes = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }
}

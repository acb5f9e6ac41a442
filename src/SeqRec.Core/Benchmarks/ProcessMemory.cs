using System.Globalization;

namespace SeqRec.Benchmarks;

/// <summary>Resident-set figures of this process from /proc/self/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set (VmRSS), bytes.</summary>
    public static long Resident() => Read("VmRSS:");

    /// <summary>Peak resident set (VmHWM), bytes: since the process started or since the last <see cref="ResetPeak"/>.</summary>
    public static long PeakResident() => Read("VmHWM:");

    /// <summary><see cref="PeakResident"/>, or null where /proc/self/status does not exist (not Linux).</summary>
    public static long? TryPeakResident()
    {
        try
        {
            return PeakResident();
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Restarts the peak at the current resident set (writing 5 to /proc/self/clear_refs, Linux 4.0 and later), so a
    /// later phase's own high-water mark can be read. False when the kernel refuses.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

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

namespace SeqRec.Benchmarks;

/// <summary>Resident-set figures of this process from /proc (Linux); 0 where unavailable.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long PeakRssBytes() => ReadStatusKilobytes("VmHWM:") * 1024;

    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long CurrentRssBytes() => ReadStatusKilobytes("VmRSS:") * 1024;

    private static long ReadStatusKilobytes(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var digits = new string(line.AsSpan(field.Length).ToArray().Where(char.IsAsciiDigit).ToArray());
            return long.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var kb) ? kb : 0;
        }
        return 0;
    }
}

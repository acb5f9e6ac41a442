using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SeqRec.Tests.Hostile;

/// <summary>
/// Runs hostile cases and holds them to SeqRec's promise: every case ends in success or a clean error (a
/// <see cref="SeqRecException"/> naming what is wrong), within a time bound and without the process growing past a
/// memory bound. Any other exception fails the test with the case that caused it. Counts cases and distinct messages.
/// </summary>
internal sealed partial class HostileOutcomes(string kind)
{
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(10);
    public const long MemoryBoundBytes = 1L << 30;

    private readonly HashSet<string> _messages = [];
    private int _cases, _accepted;

    public void Attempt(Action action, string describe)
    {
        var before = Resident();
        var clock = Stopwatch.StartNew();
        try
        {
            action();
            Interlocked.Increment(ref _accepted);
        }
        catch (SeqRecException e)
        {
            if (e.Message.Contains("This is a bug", StringComparison.Ordinal)) throw new HostileCaseFailed(kind, describe, e);
            lock (_messages) _messages.Add(Shape(e.Message));
        }
        catch (Exception e)
        {
            throw new HostileCaseFailed(kind, describe, e);
        }
        Interlocked.Increment(ref _cases);
        if (clock.Elapsed > TimeBound) throw new HostileCaseFailed(kind, describe, new TimeoutException($"took {clock.Elapsed}"));
        var grown = Resident() - before;
        if (grown > MemoryBoundBytes) throw new HostileCaseFailed(kind, describe, new InsufficientMemoryException($"the process grew by {grown >> 20} MB"));
    }

    public string Summary => $"{kind}: {_cases} cases, {_accepted} accepted, {_messages.Count} distinct error messages";

    public IReadOnlyCollection<string> Messages => _messages;

    public int Cases => _cases;

    private static long Resident()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>A message with its paths, numbers and quoted values blanked, so that one error differing only there counts once.</summary>
    private static string Shape(string message) => Numbers().Replace(Quoted().Replace(Paths().Replace(message, "<path>"), "'…'"), "#");

    [GeneratedRegex(@"/[^\s:,;()]+")]
    private static partial Regex Paths();

    [GeneratedRegex(@"'[^']*'|""[^""]*""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Numbers();
}

internal sealed class HostileCaseFailed(string kind, string input, Exception inner)
    : Exception($"{kind}: a hostile case ended in {inner.GetType().Name}, not success or a clean error: {inner.Message}\ninput: {input}", inner);

namespace SeqRec.Benchmarks;

/// <summary>
/// Keeps a long run's native heap from growing without bound. glibc, told never to trim (<c>AllocatorRelauncher</c>),
/// keeps freed blocks for reuse, but blocks of varying sizes fragment the heap and it grows: BERT4Rec's training held
/// 12 GB after eight ml-100k epochs with 0.07 GB in use between steps. Trimming hands the free pages back, and each
/// page touched again costs a fresh page fault (about 1 s per GB on the virtual machines we measure on), so it is
/// done only once the process has grown to twice its size at the first check. Training checks at every epoch's end and,
/// once that first size is known, after every batch too: NARM's heap grew by 2.3 GB within one ml-100k epoch.
/// </summary>
public sealed class NativeHeapLimit
{
    /// <summary>Below this the process is left alone, however much it grew.</summary>
    private const long MinimumTrimBytes = 1L << 30;

    private readonly Func<long> _resident;
    private readonly Func<bool> _trim;
    private long? _baseline;

    public NativeHeapLimit() : this(ProcessMemory.Resident, NativeHeap.Trim) { }

    /// <param name="resident">Reads the process's resident bytes.</param>
    /// <param name="trim">Trims the heap; whether it released anything.</param>
    internal NativeHeapLimit(Func<long> resident, Func<bool> trim) => (_resident, _trim) = (resident, trim);

    /// <summary>
    /// The first call records the resident set; later calls trim the heap once it has doubled since.
    /// </summary>
    /// <returns>Whether it trimmed.</returns>
    public bool TrimIfGrown()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var resident = _resident();
        _baseline ??= resident;
        return resident >= Math.Max(2 * _baseline.Value, MinimumTrimBytes) && _trim();
    }

    /// <summary>As <see cref="TrimIfGrown"/>, but never records the baseline: before it exists, nothing happens.</summary>
    /// <returns>Whether it trimmed.</returns>
    public bool TrimIfGrownSinceBaseline() => _baseline is not null && TrimIfGrown();
}

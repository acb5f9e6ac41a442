using System.Runtime.CompilerServices;

namespace SeqRec.Data;

/// <summary>
/// A small counter-based generator (SplitMix64) whose streams are derived from integers such as (seed, epoch,
/// sample). The same inputs give the same numbers on every machine and .NET version, so data order and negatives
/// can be recomputed instead of saved.
/// </summary>
public struct StableRandom(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state = state;

    /// <summary>A stream derived from a seed and any number of stream coordinates.</summary>
    public static StableRandom Derive(long seed, long a, long b = 0, long c = 0) =>
        new(Mix(Mix(Mix(Mix((ulong)seed) ^ (ulong)a) ^ ((ulong)b * Golden)) ^ ((ulong)c + Golden)));

    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exclusiveMax, 1);
        var range = (uint)exclusiveMax;
        var product = (ulong)(uint)(NextUInt64() >> 32) * range;
        if ((uint)product < range)
        {
            var threshold = (uint)-range % range;
            while ((uint)product < threshold) product = (ulong)(uint)(NextUInt64() >> 32) * range;
        }
        return (int)(product >> 32);
    }

    /// <summary>SplitMix64's output function of one state: <paramref name="z"/> advanced by the golden gamma, then mixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SplitMix(ulong z) => Mix(z + Golden);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

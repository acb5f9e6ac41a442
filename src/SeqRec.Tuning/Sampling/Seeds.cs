namespace SeqRec.Tuning.Sampling;

internal static class Seeds
{
    /// <summary>
    /// A generator for one trial, independent of how many draws earlier trials made, and the same in every process
    /// (<see cref="HashCode"/> is randomised per process, so it is not used here): a SplitMix64 mix of both numbers.
    /// </summary>
    public static Random ForTrial(int seed, int trialNumber)
    {
        var z = unchecked(((ulong)(uint)seed << 32 | (uint)trialNumber) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }
}

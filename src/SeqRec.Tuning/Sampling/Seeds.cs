using SeqRec.Data;

namespace SeqRec.Tuning.Sampling;

internal static class Seeds
{
    /// <summary>
    /// A generator for one trial, independent of how many draws earlier trials made, and the same in every process
    /// (<see cref="HashCode"/> is randomised per process, so it is not used here): a SplitMix64 mix of both numbers.
    /// </summary>
    public static Random ForTrial(int seed, int trialNumber)
    {
        var z = StableRandom.SplitMix((ulong)(uint)seed << 32 | (uint)trialNumber);
        return new Random((int)(z & 0x7FFFFFFF));
    }
}

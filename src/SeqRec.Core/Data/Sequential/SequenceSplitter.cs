using System.Runtime.CompilerServices;
using SeqRec.Configuration;

namespace SeqRec.Data;

/// <summary>The outcome of <see cref="SequenceSplitter.Split"/>.</summary>
public sealed record SplitSequences(UserSequences Sequences, SampleSet Train, SampleSet Valid, SampleSet Test);

/// <summary>
/// RecBole's sequential preparation on remapped interactions: per user a stable sort by time, one sample per
/// interaction after the first (history = the preceding items, cut to the last <c>maxLength</c>), then the
/// leave-one-out split in RecBole's sample order.
/// </summary>
/// <remarks>
/// Loading runs once per process, so its loops are compiled optimized from the first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>) instead of running as unoptimized tier-0 code.
/// </remarks>
public static class SequenceSplitter
{
    /// <param name="users">User id (1..userCount-1) of each interaction, in table order.</param>
    /// <param name="items">Item id of each interaction.</param>
    /// <param name="userCount">Users including padding.</param>
    /// <param name="times">Timestamp of each interaction; none may be NaN.</param>
    /// <param name="timeOrder">How timestamps are compared (RecBole compares float32 values).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SplitSequences Split(int[] users, int[] items, double[] times, int userCount, int maxLength, SplitMode mode, TimeOrder timeOrder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var offsets = UserOffsets(users, userCount);
        var order = OrderByUserThenTime(users, SortKeys(times, timeOrder), offsets, out var sortKeys);
        var sequenceItems = new int[order.Length];
        for (var i = 0; i < order.Length; i++) sequenceItems[i] = items[order[i]];

        var groups = UsersByFirstTargetTime(offsets, sortKeys);
        var (trainCount, validCount, testCount) = CountSamples(groups, offsets, mode);
        var train = new SampleSetBuilder(sequenceItems, trainCount, maxLength);
        var valid = new SampleSetBuilder(sequenceItems, validCount, maxLength);
        var test = new SampleSetBuilder(sequenceItems, testCount, maxLength);
        foreach (var user in groups)
        {
            var start = offsets[user];
            var samples = offsets[user + 1] - start - 1;
            var (toValid, toTest) = LeftOut(samples, mode);
            var trainSamples = samples - toValid - toTest;
            // Sample k (0-based) predicts the item at position k + 1 of the user's sequence.
            for (var k = 0; k < samples; k++)
            {
                var builder = k < trainSamples ? train : k < trainSamples + toValid ? valid : test;
                builder.Add(user, start, k + 1);
            }
        }
        return new SplitSequences(new UserSequences(sequenceItems, offsets), train.Build(), valid.Build(), test.Build());
    }

    /// <summary>
    /// How many of a user's last samples go to valid and test. RecBole leaves out min(n, samples - 1), filling the
    /// parts from the end: with valid_and_test and 2 samples the single left-out sample is test.
    /// </summary>
    private static (int Valid, int Test) LeftOut(int samples, SplitMode mode)
    {
        switch (mode)
        {
            case SplitMode.ValidAndTest:
                var legal = Math.Clamp(samples - 1, 0, 2);
                return (legal == 2 ? 1 : 0, legal >= 1 ? 1 : 0);
            case SplitMode.ValidOnly:
                return (samples >= 2 ? 1 : 0, 0);
            case SplitMode.TestOnly:
                return (0, samples >= 2 ? 1 : 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode));
        }
    }

    private static (int Train, int Valid, int Test) CountSamples(int[] groups, int[] offsets, SplitMode mode)
    {
        int train = 0, valid = 0, test = 0;
        foreach (var user in groups)
        {
            var samples = offsets[user + 1] - offsets[user] - 1;
            var (v, t) = LeftOut(samples, mode);
            train += samples - v - t;
            valid += v;
            test += t;
        }
        return (train, valid, test);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] UserOffsets(int[] users, int userCount)
    {
        var offsets = new int[userCount + 1];
        foreach (var user in users) offsets[user + 1]++;
        for (var u = 0; u < userCount; u++) offsets[u + 1] += offsets[u];
        return offsets;
    }

    /// <summary>
    /// The values RecBole compares: float32 of the timestamp, or of its min-max normalization to [0, 1] (all 1 when
    /// every timestamp is equal), computed in double precision first as numpy does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] SortKeys(double[] times, TimeOrder timeOrder)
    {
        var keys = new double[times.Length];
        switch (timeOrder)
        {
            case TimeOrder.Exact:
                times.CopyTo(keys, 0);
                break;
            case TimeOrder.Float32:
                for (var i = 0; i < keys.Length; i++) keys[i] = (float)times[i];
                break;
            case TimeOrder.NormalizedFloat32:
                var (min, max) = times.Length == 0 ? (0.0, 0.0) : (times.Min(), times.Max());
                for (var i = 0; i < keys.Length; i++) keys[i] = max == min ? 1.0 : (float)((times[i] - min) / (max - min));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(timeOrder));
        }
        return keys;
    }

    /// <summary>
    /// Interaction indices grouped by user (ascending id), each user's stably sorted by time: RecBole's
    /// <c>sort(by=[uid, time])</c>. A stable sort of everything by time followed by a stable distribution into
    /// per-user slots gives that order. <paramref name="sortKeys"/> receives the compared time of each position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] OrderByUserThenTime(int[] users, double[] keys, int[] offsets, out double[] sortKeys)
    {
        var order = new int[users.Length];
        var next = offsets[..^1];
        foreach (var i in StableSort.OrderByKey(keys)) order[next[users[i]]++] = i;
        sortKeys = new double[order.Length];
        for (var i = 0; i < order.Length; i++) sortKeys[i] = keys[order[i]];
        return order;
    }

    /// <summary>
    /// RecBole sorts all samples stably by target time (the <c>TO</c> order; before it they are ordered by user,
    /// then time) and then groups them by user in order of first appearance. So each split lists users by the time of
    /// their first sample's target (ties: lower user id first), each user's samples in time order.
    /// </summary>
    private static int[] UsersByFirstTargetTime(int[] offsets, double[] sortKeys)
    {
        var users = new List<int>();
        for (var u = 0; u + 1 < offsets.Length; u++)
        {
            if (offsets[u + 1] - offsets[u] >= 2) users.Add(u);
        }
        var ordered = users.ToArray();
        Array.Sort(ordered, (a, b) =>
        {
            var byTime = sortKeys[offsets[a] + 1].CompareTo(sortKeys[offsets[b] + 1]);
            return byTime != 0 ? byTime : a.CompareTo(b);
        });
        return ordered;
    }

    private sealed class SampleSetBuilder(int[] sequenceItems, int capacity, int maxLength)
    {
        private readonly int[] _historyStart = new int[capacity];
        private readonly int[] _historyLength = new int[capacity];
        private readonly int[] _targets = new int[capacity];
        private readonly int[] _users = new int[capacity];
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int user, int sequenceStart, int targetPosition)
        {
            var length = Math.Min(targetPosition, maxLength);
            _historyStart[_count] = sequenceStart + targetPosition - length;
            _historyLength[_count] = length;
            _targets[_count] = sequenceItems[sequenceStart + targetPosition];
            _users[_count] = user;
            _count++;
        }

        public SampleSet Build() => new(sequenceItems, _historyStart, _historyLength, _targets, _users, maxLength);
    }
}

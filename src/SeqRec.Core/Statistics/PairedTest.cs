using MathNet.Numerics.Distributions;

namespace SeqRec.Statistics;

/// <summary>The paired significance tests <c>seqrec compare</c> offers: a model against a baseline, paired by seed.</summary>
public enum PairedTestKind { TTest, Wilcoxon }

/// <summary>The outcome of a two-sided paired test on differences d = x − baseline.</summary>
/// <param name="PValue">Two-sided p-value; 1 when every difference is 0.</param>
/// <param name="Statistic">t for the t-test, W+ (the sum of the ranks of the positive differences) for Wilcoxon.</param>
/// <param name="Pairs">Pairs that entered the test (Wilcoxon drops zero differences).</param>
public sealed record PairedTestResult(PairedTestKind Kind, double PValue, double Statistic, int Pairs);

public static class PairedTest
{
    /// <summary>Runs <paramref name="kind"/> on the paired samples <paramref name="values"/> and <paramref name="baseline"/>.</summary>
    public static PairedTestResult Run(PairedTestKind kind, IReadOnlyList<double> values, IReadOnlyList<double> baseline)
    {
        if (values.Count != baseline.Count) throw new ArgumentException($"{values.Count} values paired with {baseline.Count} baseline values");
        var differences = values.Zip(baseline, (x, b) => x - b).ToArray();
        return kind switch
        {
            PairedTestKind.TTest => TTest(differences),
            PairedTestKind.Wilcoxon => Wilcoxon(differences),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// Student's paired t-test: t = mean(d) / (sd(d) / √n) with n − 1 degrees of freedom. Needs two pairs. When every
    /// difference is the same, sd is 0: p is 1 if that difference is 0, else 0 (no spread can explain it).
    /// </summary>
    public static PairedTestResult TTest(IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        if (n < 2) throw new ArgumentException("a paired t-test needs at least two pairs", nameof(differences));
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        if (variance == 0)
            return new PairedTestResult(PairedTestKind.TTest, mean == 0 ? 1.0 : 0.0, mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, mean), n);
        var t = mean / Math.Sqrt(variance / n);
        var p = 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t));
        return new PairedTestResult(PairedTestKind.TTest, Math.Min(1, p), t, n);
    }

    /// <summary>
    /// Wilcoxon's signed-rank test: zero differences are dropped, |d| ranked with average ranks for ties, and p is
    /// exact (every sign assignment enumerated) up to 20 pairs, a normal approximation with tie correction above.
    /// With n pairs the smallest exact p is 2 / 2ⁿ: three seeds can never reach 0.05 (p ≥ 0.25).
    /// </summary>
    public static PairedTestResult Wilcoxon(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0).ToArray();
        var n = nonZero.Length;
        if (n == 0) return new PairedTestResult(PairedTestKind.Wilcoxon, 1.0, 0, 0);
        var ranks = AverageRanks([.. nonZero.Select(Math.Abs)]);
        var positive = Enumerable.Range(0, n).Where(i => nonZero[i] > 0).Sum(i => ranks[i]);
        double p;
        if (n <= 20)
        {
            // Counts of W+ over all 2^n sign assignments, in half-rank units (average ranks are multiples of 1/2).
            var halves = ranks.Select(r => (int)Math.Round(r * 2)).ToArray();
            var counts = new double[halves.Sum() + 1];
            counts[0] = 1;
            var reach = 0;
            foreach (var h in halves)
            {
                for (var s = reach; s >= 0; s--) counts[s + h] += counts[s];
                reach += h;
            }
            var observed = (int)Math.Round(positive * 2);
            double below = 0, above = 0;
            for (var s = 0; s < counts.Length; s++)
            {
                if (s <= observed) below += counts[s];
                if (s >= observed) above += counts[s];
            }
            var total = Math.Pow(2, n);
            p = Math.Min(1, 2 * Math.Min(below, above) / total);
        }
        else
        {
            var mean = n * (n + 1) / 4.0;
            var tieCorrection = ranks.GroupBy(r => r).Sum(g => Math.Pow(g.Count(), 3) - g.Count()) / 48.0;
            var sd = Math.Sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - tieCorrection);
            p = sd == 0 ? 1 : Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(positive - mean) / sd));
        }
        return new PairedTestResult(PairedTestKind.Wilcoxon, p, positive, n);
    }

    /// <summary>1-based ranks of <paramref name="values"/>, ties sharing the average of their ranks.</summary>
    private static double[] AverageRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var average = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++) ranks[order[i]] = average;
            start = end + 1;
        }
        return ranks;
    }
}

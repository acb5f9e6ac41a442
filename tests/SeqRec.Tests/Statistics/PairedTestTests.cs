using SeqRec.Statistics;
using Xunit;

namespace SeqRec.Tests.Statistics;

public class PairedTestTests
{
    [Fact]
    public void T_test_matches_a_worked_example()
    {
        // d = 1..5: mean 3, sd √2.5, t = 3 / (√2.5 / √5) = √18 = 4.2426 with 4 degrees of freedom; the two tails of
        // Student's t density beyond ±√18, integrated numerically, hold 0.013236.
        var result = PairedTest.Run(PairedTestKind.TTest, [2, 4, 6, 8, 10], [1, 2, 3, 4, 5]);
        Assert.Equal(Math.Sqrt(18), result.Statistic, 10);
        Assert.Equal(0.013236, result.PValue, 6);
        Assert.Equal(5, result.Pairs);
    }

    [Fact]
    public void T_test_is_symmetric_and_handles_constant_differences()
    {
        var up = PairedTest.Run(PairedTestKind.TTest, [1.0, 2.5, 2.0], [0.5, 1.0, 2.2]);
        var down = PairedTest.Run(PairedTestKind.TTest, [0.5, 1.0, 2.2], [1.0, 2.5, 2.0]);
        Assert.Equal(up.PValue, down.PValue, 12);
        Assert.Equal(-up.Statistic, down.Statistic, 12);
        Assert.Equal(1.0, PairedTest.Run(PairedTestKind.TTest, [1, 2], [1, 2]).PValue);
        Assert.Equal(0.0, PairedTest.Run(PairedTestKind.TTest, [2, 3], [1, 2]).PValue);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, 15, 2.0 / 32)]       // every difference positive: W+ = 15, p = 2 · 1/32
    [InlineData(new[] { 1.0, -2, 3, 4, 5 }, 13, 6.0 / 32)]      // W+ = 13; sums ≥ 13 over subsets of 1..5: 13, 14, 15
    [InlineData(new[] { 1.0, 2, 3 }, 6, 0.25)]                  // three seeds can never reach p < 0.25
    [InlineData(new[] { 0.0, 1, 2, 3 }, 6, 0.25)]               // a zero difference is dropped
    [InlineData(new[] { 1.0, 1, -1 }, 4, 1.0)]                  // ties share rank 2: W+ = 4 of a symmetric distribution around 3
    public void Wilcoxon_is_exact_for_small_samples(double[] differences, double statistic, double p)
    {
        var result = PairedTest.Wilcoxon(differences);
        Assert.Equal(statistic, result.Statistic, 12);
        Assert.Equal(p, result.PValue, 12);
    }

    [Fact]
    public void Wilcoxon_of_no_difference_is_p_1() =>
        Assert.Equal(1.0, PairedTest.Wilcoxon([0.0, 0.0]).PValue);
}

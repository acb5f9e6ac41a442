using SeqRec.Cli.Bench;
using Xunit;

namespace SeqRec.Tests.Models;

public class LayerBenchmarkTests
{
    private static readonly LayerBenchmarkOptions Tiny = new() { Batch = 4, NItems = 20, Warmup = 1, Repetitions = 3, Lengths = [6, 12] };

    [Fact]
    public void A_case_reports_times_the_parameter_count_and_a_table_row()
    {
        var results = Tiny.Lengths.Select(length => LayerBenchmark.RunCase(TinyModels.Registry, "lightsans", length, Tiny)).ToList();

        Assert.All(results, r => Assert.True(r.MedianMs > 0 && r.MinMs <= r.MedianMs && r.MedianCpuMs >= 0 && r.PeakMemoryBytes >= 0));
        // 20·64 item rows, L·64 positions, two layers of 60,992 - 2·64·(20 - 5) (k = 5), final LayerNorm 128.
        Assert.Equal(20 * 64 + 6 * 64 + 2 * (60_992 - 2 * 64 * 15) + 128, results[0].Parameters);
        var table = LayerBenchmark.FormatTable(results);
        Assert.Contains("batch 4", table);
        Assert.Contains("lightsans", table);
        Assert.Matches(@"(?m)^\s+12 \|", table);
    }

    [Fact]
    public void An_unknown_model_is_a_user_error()
    {
        var error = Assert.Throws<SeqRecException>(() => LayerBenchmark.RunCase(TinyModels.Registry, "no_such_model", 8, Tiny));
        Assert.Contains("unknown model 'no_such_model'", error.Message);
    }

    [Fact]
    public void Child_arguments_carry_every_setting()
    {
        var arguments = LayerBenchmark.ChildArguments("sasrec", 100, Tiny with { Threads = 1, Seed = 9 }).ToList();

        Assert.Equal(["--case", "sasrec:100", "--batch", "4", "--n-items", "20", "--warmup", "1", "--reps", "3", "--threads", "1", "--seed", "9"], arguments);
    }
}

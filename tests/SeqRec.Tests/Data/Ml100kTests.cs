using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using Xunit;
using Xunit.Abstractions;

namespace SeqRec.Tests.Data;

public sealed class Ml100kTests(ITestOutputHelper output)
{
    private static SequentialDataset Load(DataConfig? config = null) =>
        SequentialDatasetLoader.Load(config ?? new DataConfig { Dataset = "ml-100k" }, TestPaths.DataPath);

    [Fact]
    public void Ml_100k_has_the_reference_counts()
    {
        var clock = Stopwatch.StartNew();
        var dataset = Load();
        var cold = clock.Elapsed;

        var stats = DatasetStatistics.Of(dataset);
        Assert.Equal(new DatasetStatistics("ml-100k", 944, 1683, 100_000, 97_171, 943, 943), stats);
        Assert.Equal(stats, DatasetStatistics.FromJson(stats.ToJson()));
        Assert.Contains("\"train_samples\": 97171", stats.ToJson());

        // Ids follow the order of first appearance in the file: its first row is user 196, item 242.
        Assert.Equal("196", dataset.Users.Token(1));
        Assert.Equal("242", dataset.Items.Token(1));
        Assert.All(Enumerable.Range(0, dataset.Train.Count), i => Assert.InRange(dataset.Train.History(i).Length, 1, 50));
        var latest = Enumerable.Range(1, dataset.NUsers - 1).Select(u => dataset.LatestHistory(u).Length).ToList();
        Assert.Equal(50, latest.Max());
        Assert.Equal(20, latest.Min());

        clock.Restart();
        Load();
        output.WriteLine($"ml-100k load + prepare: cold {cold.TotalMilliseconds:F0} ms, warm {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"warm load took {clock.Elapsed}");
    }

    [Fact]
    public void The_time_orders_change_which_items_are_held_out_but_not_the_counts()
    {
        var normalized = Load();
        int Differing(TimeOrder order)
        {
            var other = Load(new DataConfig { Dataset = "ml-100k", TimeOrder = order });
            Assert.Equal(normalized.Test.Count, other.Test.Count);
            return Enumerable.Range(0, normalized.Test.Count).Count(i => normalized.Test.Target(i) != other.Test.Target(i));
        }
        var againstExact = Differing(TimeOrder.Exact);
        var againstFloat32 = Differing(TimeOrder.Float32);
        output.WriteLine($"test targets differing from normalized_float32: exact {againstExact}, float32 {againstFloat32}");
        Assert.True(againstFloat32 > againstExact);
    }

    [Fact]
    public void K_core_and_rating_filters_shrink_ml_100k()
    {
        var filtered = Load(new DataConfig
        {
            Dataset = "ml-100k",
            ValInterval = ["rating:[4,inf)"],
            UserInterNumInterval = "[10,inf)",
            ItemInterNumInterval = "[10,inf)",
        });
        Assert.InRange(filtered.InteractionCount, 10_000, 55_375);
        for (var u = 1; u < filtered.NUsers; u++)
        {
            var sequence = filtered.LatestHistory(u);
            Assert.True(sequence.Length >= 10);
        }
        Assert.InRange(filtered.NUsers, 100, 943);
        Assert.InRange(filtered.NItems, 100, 1682);
    }
}

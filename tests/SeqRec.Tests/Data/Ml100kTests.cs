using System.Diagnostics;
using SeqRec.Configuration;
using SeqRec.Data;
using Xunit;
using Xunit.Abstractions;

namespace SeqRec.Tests.Data;

public sealed class Ml100kTests(ITestOutputHelper output)
{
    private static SequentialDataset Load(DataConfig? config = null) =>
        SequentialDatasetLoader.Load(config ?? new DataConfig { Dataset = "ml-100k" }, SharedData.DatasetsFolder());

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
    public void Float32_time_order_differs_from_exact_order_on_ml_100k_but_not_the_counts()
    {
        var recbole = Load();
        var exact = Load(new DataConfig { Dataset = "ml-100k", ExactTimeOrder = true });
        Assert.Equal(recbole.Test.Count, exact.Test.Count);
        var differing = Enumerable.Range(0, recbole.Test.Count).Count(i => recbole.Test.Target(i) != exact.Test.Target(i));
        output.WriteLine($"test targets that differ between float32 and exact time order: {differing}");
        Assert.True(differing > 0);
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

using SeqRec.Benchmarks;
using SeqRec.Tests.Models;
using Xunit;

namespace SeqRec.Tests.EndToEnd;

/// <summary>The public loading API: a saved run's model answers top-k, scores and metrics from code.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class SavedModelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_saved_model_gives_the_runs_test_metrics_and_consistent_top_k_and_scores()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 30, items: 25, interactionsPerUser: 10, seed: 5);
        var outcome = SeqRecRun.Run("sasrec", "tiny", new Dictionary<string, object?>
        {
            ["data.data_path"] = data, ["data.max_item_list_length"] = 6, ["trainer.epochs"] = 3,
            ["sasrec.hidden_size"] = 8, ["sasrec.inner_size"] = 16,
        }, new RunOptions { RunsRoot = Path.Combine(_folder.Path, "runs"), Models = TinyModels.Registry });

        using var saved = SavedModel.Load(Path.Combine(outcome.RunDirectory, "best.ckpt"), TinyModels.Registry);

        Assert.Equal(outcome.Result.Test.ToDictionary(), saved.Evaluate("test").ToDictionary());
        var user = saved.Dataset.Users.Token(3);
        var history = saved.Dataset.LatestHistory(3).ToArray().Select(saved.Dataset.Items.Token).ToHashSet();
        var everything = saved.Dataset.FullHistory(3).ToArray().Select(saved.Dataset.Items.Token).ToHashSet();
        Assert.True(everything.Count > history.Count, "the user's whole history must be longer than the model's window for this test");
        var top = saved.TopKForUser(user, k: 5);
        Assert.Equal(5, top.Length);
        Assert.DoesNotContain(top, r => everything.Contains(r.Item));
        var all = saved.TopKForUser(user, k: 25);
        Assert.Equal(25 - everything.Count, all.Length);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
        var scores = saved.Scores(user, [.. top.Select(r => r.Item)]);
        Assert.Equal(top.Select(r => (double)r.Score), scores.Select(s => (double)s), new ToleranceComparer(1e-5));
        Assert.Equal(5, saved.TopKForSequence([.. history.Take(2)], k: 5).Length);
        var error = Assert.Throws<SeqRecException>(() => saved.TopKForUser("no-such-user"));
        Assert.Contains("user 'no-such-user' is not in dataset tiny", error.Message, StringComparison.Ordinal);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

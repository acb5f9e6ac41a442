using SeqRec.Benchmarks;
using SeqRec.Cli;
using Xunit;

namespace SeqRec.Tests.EndToEnd;

/// <summary><c>seqrec tune</c> with real training trials (the trainer behind the trial runner) on tiny synthetic data.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public class TuneRunTests
{
    [Fact]
    public void Trials_train_for_real_and_the_best_config_runs()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 30, items: 20, interactionsPerUser: 10, seed: 5);
        var hyper = folder.File("tiny.hyper", "learning_rate choice [0.01,0.001]\nn_layers choice [1]\n");
        string[] settings =
        [
            "--model", "sasrec", "--dataset", "tiny", "--set", $"data.data_path=\"{data}\"", "--set", "trainer.epochs=2",
            "--set", "trainer.train_batch_size=32", "--set", "sasrec.hidden_size=8", "--set", "sasrec.inner_size=16",
            "--set", "data.max_item_list_length=6",
        ];
        var output = new StringWriter();
        var error = new StringWriter();
        var tuneFolder = Path.Combine(folder.Path, "tune");
        var code = CliApp.Run(["tune", .. settings, "--params", hyper, "--algo", "exhaustive", "--output", tuneFolder], output, error);
        Assert.True(code == 0, $"{output}\n{error}");

        var csv = File.ReadAllLines(Path.Combine(tuneFolder, "study.csv"));
        Assert.Equal(3, csv.Length); // header + 2 trials
        Assert.All(csv.Skip(1), line => Assert.Contains("ok", line, StringComparison.OrdinalIgnoreCase));
        var best = Path.Combine(tuneFolder, "best.toml");
        Assert.True(File.Exists(best));

        var runs = Path.Combine(folder.Path, "runs");
        code = CliApp.Run(["run", "--config", best, "--set", $"data.data_path=\"{data}\"", "--runs-root", runs], output, error);
        Assert.True(code == 0, $"{output}\n{error}");

        // The best configuration reproduces its trial's valid score (rank 1 is the first data row).
        var bestTrialScore = double.Parse(csv[1].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        using var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(runs).Single(), "results.json")));
        Assert.Equal(bestTrialScore, results.RootElement.GetProperty("best_valid").GetProperty("mrr@10").GetDouble());
    }
}

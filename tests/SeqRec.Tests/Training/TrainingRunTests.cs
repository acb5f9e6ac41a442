using System.Text.Json;
using SeqRec.Configuration;
using SeqRec.Runs;
using SeqRec.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SeqRec.Tests.Training;

public class TrainingRunTests(ITestOutputHelper output)
{
    private const string ConfigToml = "[trainer]\nepochs = 3\n\n[data]\ndataset = \"synthetic\"\n";

    private static RunSetup Setup(MeanPoolModel model, SyntheticData data) => new(
        "meanpool", "synthetic", ConfigToml, model,
        new TrainerConfig { Epochs = 3, TrainBatchSize = 8, LearningRate = 0.01 },
        TrainingHarness.Evaluator(),
        TrainingHarness.Data(data, 8, 1));

    [Fact]
    public void A_run_directory_holds_config_log_results_checkpoint_and_tensorboard_events()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create();
        manual_seed(1);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength);
        var run = RunDirectory.Create(Path.Combine(harness.Directory, "runs"), "meanpool", "synthetic", new DateTime(2026, 11, 27, 21, 5, 9));
        var console = new StringWriter();

        var result = TrainingRun.Execute(run, Setup(model, data), new PlainTextTrainingObserver(console));

        Assert.EndsWith("meanpool-synthetic-20261127-210509", run.Path);
        Assert.Equal(ConfigToml, File.ReadAllText(run.ConfigPath));
        var log = File.ReadAllText(run.LogPath);
        output.WriteLine(log);
        Assert.Contains("epoch 2 training", log);
        Assert.Contains("epoch 2 valid", log);
        Assert.Contains("test (best epoch", log);
        Assert.Matches(@"finished: reached the epoch limit after 3 epochs; best epoch \d by mrr@10; peak memory \d+\.\d\d GB", log);
        Assert.Matches(@"mrr@10\s+\d\.\d{4}\s+\d\.\d{4}", log);
        Assert.Contains("epoch 0 training", console.ToString());

        using var results = JsonDocument.Parse(File.ReadAllText(run.ResultsPath));
        var root = results.RootElement;
        Assert.Equal(result.BestEpoch, root.GetProperty("best_epoch").GetInt32());
        Assert.Equal("mrr@10", root.GetProperty("valid_metric").GetString());
        Assert.Equal(result.Test["mrr@10"], root.GetProperty("test").GetProperty("mrr@10").GetDouble());
        Assert.Equal(result.BestValid["hit@10"], root.GetProperty("best_valid").GetProperty("hit@10").GetDouble());
        Assert.Equal(3, root.GetProperty("epochs").GetArrayLength());
        Assert.Equal(result.History[1].Loss, root.GetProperty("epochs")[1].GetProperty("loss").GetDouble());
        Assert.Equal(model.TrainableParameterCount, root.GetProperty("trainable_parameters").GetInt64());
        var epochPeaks = root.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("peak_rss_bytes").GetInt64()).ToList();
        Assert.All(epochPeaks, peak => Assert.True(peak > 0));
        Assert.Equal(epochPeaks.Max(), root.GetProperty("peak_rss_bytes").GetInt64());

        var header = ModelCheckpoint.ReadHeader(run.BestCheckpointPath);
        Assert.Equal(new CheckpointInfo("meanpool", "synthetic", ConfigToml, $"SeqRec.Tests {typeof(MeanPoolModel).Assembly.GetName().Version}"), header.Info);
        var events = Directory.GetFiles(run.TensorBoardPath, "events.out.tfevents.*");
        Assert.NotEmpty(events);
        // The resolved config is in the TEXT tab: the event file holds the tag and the TOML text.
        var eventBytes = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Assert.Single(events, e => !e.EndsWith(".hparams", StringComparison.Ordinal))));
        Assert.Contains("config", eventBytes, StringComparison.Ordinal);
        Assert.Contains("dataset = \"synthetic\"", eventBytes, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(run.Path, "*", SearchOption.AllDirectories), f => f.Contains(AtomicFile.TempMarker));
    }

    [Fact]
    public void A_failed_run_logs_the_error()
    {
        using var harness = new TrainingHarness();
        using var model = new ScriptedModel(nanAtStep: 1);
        var run = RunDirectory.Create(harness.Directory, "scripted", "synthetic", DateTime.UnixEpoch);
        var setup = new RunSetup("scripted", "synthetic", ConfigToml, model, new TrainerConfig { Epochs = 2 }, TrainingHarness.Evaluator(), TrainingHarness.ScriptedData());

        // Its own exception type: the CLI exits with 4 for a diverged run, not the 2 of a user error.
        Assert.Throws<TrainingDivergedException>(() => TrainingRun.Execute(run, setup, console: null));

        Assert.Contains("error: training loss is NaN at epoch 0, batch 1", File.ReadAllText(run.LogPath));
        Assert.False(File.Exists(run.ResultsPath));
    }

    [Fact]
    public void A_second_run_in_the_same_second_gets_its_own_directory()
    {
        using var harness = new TrainingHarness();
        var root = Path.Combine(harness.Directory, "runs");
        var time = new DateTime(2026, 1, 2, 3, 4, 5);

        var first = RunDirectory.Create(root, "sasrec", "ml-100k", time);
        var second = RunDirectory.Create(root, "sasrec", "ml-100k", time);

        Assert.NotEqual(first.Path, second.Path);
        Assert.EndsWith("sasrec-ml-100k-20260102-030405-2", second.Path);
    }

    [Fact]
    public void Opening_a_run_without_a_resume_state_is_a_clear_error()
    {
        using var harness = new TrainingHarness();
        var run = RunDirectory.Create(harness.Directory, "sasrec", "ml-100k", DateTime.UnixEpoch);
        File.WriteAllText(run.ConfigPath, "");

        var error = Assert.Throws<SeqRecException>(() => RunDirectory.Open(run.Path));
        Assert.Contains("nothing to resume", error.Message);
        Assert.Throws<SeqRecException>(() => RunDirectory.Open(Path.Combine(harness.Directory, "nope")));
    }

    [Fact]
    public void A_run_folder_being_written_refuses_a_second_writer_and_is_free_again_afterwards()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create();
        var run = RunDirectory.Create(Path.Combine(harness.Directory, "runs"), "meanpool", "synthetic", new DateTime(2026, 12, 7, 1, 0, 0));
        manual_seed(1);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength);

        using (RunLock.Acquire(run))
        {
            var error = Assert.Throws<SeqRecException>(() => TrainingRun.Execute(run, Setup(model, data), console: null));
            Assert.Contains($"being written by another process (pid {Environment.ProcessId})", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(run.ConfigPath), "the refused writer wrote into the folder");
        }

        TrainingRun.Execute(run, Setup(model, data), console: null);
        Assert.True(File.Exists(run.ResultsPath));
        using var again = RunLock.Acquire(run);
    }

    [Fact]
    public void Resuming_on_data_that_changed_since_the_run_started_is_refused()
    {
        using var harness = new TrainingHarness();
        var data = SyntheticData.Create();
        var run = RunDirectory.Create(Path.Combine(harness.Directory, "runs"), "meanpool", "synthetic", new DateTime(2026, 12, 7, 2, 0, 0));
        manual_seed(1);
        using var model = new MeanPoolModel(data.NItems, data.MaxSeqLength);
        TrainingRun.Execute(run, Setup(model, data) with { DataFingerprint = "aa11" }, console: null);
        Assert.Equal("aa11", File.ReadAllText(run.DataFingerprintPath).Trim());

        TrainingRun.Execute(run, Setup(model, data) with { DataFingerprint = "aa11" }, console: null, resume: true);
        var error = Assert.Throws<SeqRecException>(() =>
            TrainingRun.Execute(run, Setup(model, data) with { DataFingerprint = "bb22" }, console: null, resume: true));
        Assert.Contains("the dataset changed since this run started (its samples' SHA-256 was aa11, now bb22)", error.Message, StringComparison.Ordinal);

        // Asked for, the resume goes on: the log says so and the new fingerprint is recorded.
        TrainingRun.Execute(run, Setup(model, data) with { DataFingerprint = "bb22", AcceptChangedData = true }, console: null, resume: true);
        Assert.Equal("bb22", File.ReadAllText(run.DataFingerprintPath).Trim());
        Assert.Contains("warning: the dataset changed since this run started (samples' SHA-256 aa11, now bb22); continuing on the new data as asked", File.ReadAllText(run.LogPath), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Cli;
using SeqRec.Tests.Cli;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.EndToEnd;

/// <summary>
/// <c>seqrec run</c> end to end on tiny synthetic data: a run killed mid-training and resumed with <c>--resume</c> ends
/// with exactly the metrics of an uninterrupted run; <c>evaluate</c> and <c>recommend</c> work on its checkpoint.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class RunCommandTests : IDisposable
{
    private const int Epochs = 25;
    private readonly TempFolder _folder = new();
    private readonly string[] _settings;

    public RunCommandTests()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 40, items: 30, interactionsPerUser: 12, seed: 3);
        _settings =
        [
            "--model", "sasrec", "--dataset", "tiny",
            "--set", $"data.data_path=\"{data}\"", "--set", $"trainer.epochs={Epochs}", "--set", "trainer.stopping_step=100",
            "--set", "trainer.train_batch_size=32", "--set", "sasrec.hidden_size=8", "--set", "sasrec.inner_size=16",
            "--set", "data.max_item_list_length=8", "--set", "eval.topk=[5,10]",
        ];
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_killed_run_resumes_to_the_metrics_of_an_uninterrupted_run()
    {
        var uninterrupted = Path.Combine(_folder.Path, "uninterrupted");
        var (code, started, error) = Run(["run", .. _settings, "--runs-root", uninterrupted]);
        Assert.True(code == 0, error);
        var expected = Results(Directory.GetDirectories(uninterrupted).Single());
        // The start names the folder and summarises data and model, as RecBole logs them.
        Assert.Contains($"starting run {Directory.GetDirectories(uninterrupted).Single()}", started, StringComparison.Ordinal);
        Assert.Matches(@"dataset tiny: 40 users, \d+ items, [\d,]+ interactions \(sparsity \d+\.\d\d%\); samples: train [\d,]+, valid 40, test 40", started);
        Assert.Matches(@"model SASRec: [\d,]+ trainable parameters", started);
        // After each validation: what is left, to an early stop and to the epoch limit.
        // (Durations read in s, min or h as they grow: a loaded machine can turn 24 short epochs into minutes.)
        const string duration = @"\d+(\.\d)? (s|min|h)";
        Assert.Matches($@"next: epoch 1 of at most 25; about {duration} per epoch: {duration} left if the next 24 epochs bring no improvement \(early stop\), {duration} at most \(epoch limit\)", started);

        var killedRoot = Path.Combine(_folder.Path, "killed");
        var runDirectory = StartAndKillAfterFirstEpoch(killedRoot);
        Assert.False(File.Exists(Path.Combine(runDirectory, "results.json")), "the run finished before it was killed");

        (code, _, error) = Run(["run", "--resume", runDirectory]);
        Assert.True(code == 0, error);
        var resumed = Results(runDirectory);
        Assert.Equal(expected.GetProperty("best_epoch").GetInt32(), resumed.GetProperty("best_epoch").GetInt32());
        Assert.Equal(expected.GetProperty("test").GetRawText(), resumed.GetProperty("test").GetRawText());
        Assert.Equal(expected.GetProperty("best_valid").GetRawText(), resumed.GetProperty("best_valid").GetRawText());

        var checkpoint = Path.Combine(runDirectory, "best.ckpt");
        (code, var output, error) = Run(["evaluate", "--checkpoint", checkpoint]);
        Assert.True(code == 0, error);
        Assert.Contains($"{expected.GetProperty("test").GetProperty("ndcg@10").GetDouble():F4}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("valid", output, StringComparison.Ordinal); // only the split asked for

        (code, output, error) = Run(["evaluate", "--checkpoint", checkpoint, "--json"]);
        Assert.True(code == 0, error);
        var evaluated = JsonDocument.Parse(output).RootElement;
        Assert.Equal("test", evaluated.GetProperty("split").GetString());
        Assert.Equal(expected.GetProperty("test").GetProperty("ndcg@10").GetDouble(), evaluated.GetProperty("metrics").GetProperty("ndcg@10").GetDouble(), 4);

        (code, output, error) = Run(["recommend", "--checkpoint", checkpoint, "--user", "3", "--topk", "4", "--json"]);
        Assert.True(code == 0, error);
        var recommended = JsonDocument.Parse(output).RootElement;
        Assert.Equal("3", recommended.GetProperty("user").GetString());
        Assert.Equal([1, 2, 3, 4], recommended.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("rank").GetInt32()));

        (code, output, error) = Run(["recommend", "--checkpoint", checkpoint, "--user", "3", "--topk", "10"]);
        Assert.True(code == 0, error);
        Assert.Equal(10, output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│\s*\d+\s*│")));

        (code, _, error) = Run(["recommend", "--checkpoint", checkpoint, "--user", "no-such-user"]);
        Assert.Equal(2, code);
        Assert.Contains("user 'no-such-user' is not in dataset tiny", error, StringComparison.Ordinal);
        (code, _, error) = Run(["recommend", "--checkpoint", checkpoint, "--sequence", "1,2,999"]);
        Assert.Equal(2, code);
        Assert.Contains("item '999' not in dataset tiny", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // under nohup or as a script's background job, where SIGINT is ignored
    public void Killing_the_visible_process_stops_the_relaunched_training_child_and_frees_its_run_folder(bool interruptIgnored)
    {
        var root = Path.Combine(_folder.Path, "orphan");
        var (parent, runDirectory) = StartAfterFirstEpoch(root, ["--set", "trainer.epochs=100000", "--set", "trainer.stopping_step=100000"], relaunched: true, interruptIgnored);
        Process? trainer = null;
        try
        {
            using (parent)
            {
                var children = File.ReadAllText($"/proc/{parent.Id}/task/{parent.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                trainer = Process.GetProcessById(int.Parse(Assert.Single(children), System.Globalization.CultureInfo.InvariantCulture));
                // The case under test (the other case inherits whatever the test host has).
                if (interruptIgnored) Assert.True(SignalIgnored(trainer.Id, signal: 2), "SIGINT is not ignored in the training child");
                parent.Kill(entireProcessTree: false); // SIGKILL to the visible process only
                // With a timeout, WaitForExit does not wait for the end of the output, which the child holds too.
                Assert.True(parent.WaitForExit(TimeSpan.FromSeconds(30)));
                Assert.True(trainer.WaitForExit(TimeSpan.FromSeconds(30)), "the training child outlived the process that started it");
            }
        }
        finally
        {
            if (trainer is { HasExited: false }) trainer.Kill();
        }

        using var nextWriter = SeqRec.Runs.RunLock.Acquire(SeqRec.Runs.RunDirectory.Open(runDirectory));
    }

    /// <summary>Whether process <paramref name="pid"/> ignores <paramref name="signal"/> (the SigIgn mask of /proc/pid/status).</summary>
    private static bool SignalIgnored(int pid, int signal)
    {
        var mask = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return ((ulong.Parse(mask, System.Globalization.NumberStyles.HexNumber) >> (signal - 1)) & 1) == 1;
    }

    /// <summary>Starts <c>seqrec run</c> in a child process and kills it once its first epoch is saved for resume.</summary>
    private string StartAndKillAfterFirstEpoch(string runsRoot)
    {
        var (child, runDirectory) = StartAfterFirstEpoch(runsRoot, [], relaunched: false);
        using (child)
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        return runDirectory;
    }

    /// <summary>
    /// Starts <c>seqrec run</c> in a child process and returns it, running, once its first epoch is saved for resume;
    /// <paramref name="relaunched"/>: as from a shell, where seqrec re-executes itself for its allocator setting.
    /// </summary>
    private (Process Child, string RunDirectory) StartAfterFirstEpoch(string runsRoot, string[] extra, bool relaunched, bool interruptIgnored = false)
    {
        var child = Process.Start(SeqrecProcess.StartInfo(["run", .. _settings, .. extra, "--runs-root", runsRoot], relaunched, interruptIgnored))!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        string? runDirectory = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !child.HasExited)
        {
            runDirectory = Directory.Exists(runsRoot) ? Directory.GetDirectories(runsRoot).SingleOrDefault() : null;
            if (runDirectory is not null && File.Exists(Path.Combine(runDirectory, "resume.state"))) break;
            Thread.Sleep(5);
        }
        Assert.False(child.HasExited, $"the run ended (exit code {(child.HasExited ? child.ExitCode : 0)}) before it could be killed");
        return (child, runDirectory!);
    }

    private static JsonElement Results(string runDirectory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "results.json"))).RootElement;

}

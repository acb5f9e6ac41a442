using System.Globalization;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Tests.Cli;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.EndToEnd;

/// <summary><c>seqrec bench zoo</c> on tiny synthetic data: every named model measured and trained, the table sorted by test NDCG@10.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class BenchZooTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_zoo_table_has_every_model_sorted_by_test_ndcg_with_results_json_and_a_plot()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "synthetic", users: 60, items: 40, interactionsPerUser: 12, seed: 9);
        var output = Path.Combine(_folder.Path, "zoo");

        var (code, stdout, error) = Run("bench", "zoo", "--models", "lightsans,sasrec", "--dataset", "synthetic", "--max-len", "8", "--full",
            "--set", $"data.data_path=\"{data}\"", "--set", "trainer.epochs=2", "--set", "trainer.train_batch_size=128", "--set", "trainer.threads=1", "--out", output);

        Assert.True(code == 0, $"{stdout}\n{error}");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
        var points = results.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["lightsans", "sasrec"], points.Select(p => p.GetProperty("model").GetString()).Order());
        var ndcg = points.ToDictionary(p => p.GetProperty("model").GetString()!, p => p.GetProperty("test_metrics").GetProperty("ndcg@10").GetDouble());
        var report = File.ReadAllText(Path.Combine(output, "report.md"));
        var rows = report.Split('\n').Where(l => l.StartsWith("| lightsans |", StringComparison.Ordinal) || l.StartsWith("| sasrec |", StringComparison.Ordinal)).ToList();
        Assert.Equal(ndcg.OrderByDescending(p => p.Value).Select(p => $"| {p.Key} |"), rows.Select(r => r[..(r.IndexOf('|', 2) + 1)]));
        Assert.Contains(ndcg["sasrec"].ToString("F4", CultureInfo.InvariantCulture), report, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(output, "quality-vs-epoch-time.png")).Length > 1000);
        Assert.Contains("torch threads 1,", report, StringComparison.Ordinal); // the points' processes', not this one's
    }

    [Fact]
    public async Task Started_from_a_shell_the_relaunched_bench_runs_its_point_processes()
    {
        // As from a shell: seqrec re-executes itself for its allocator setting, and the bench then starts one process
        // per point; those must not take the relaunched process's parent for their own.
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "synthetic", users: 30, items: 20, interactionsPerUser: 10, seed: 9);
        var output = Path.Combine(_folder.Path, "zoo");
        var start = SeqrecProcess.StartInfo(["bench", "zoo", "--models", "sasrec", "--dataset", "synthetic", "--max-len", "6", "--steps", "1",
            "--set", $"data.data_path=\"{data}\"", "--set", "trainer.train_batch_size=64", "--set", "trainer.threads=1", "--out", output], relaunched: true);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "bench zoo did not finish");

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.Contains("| sasrec |", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
    }
}

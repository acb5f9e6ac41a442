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

        string[] args = ["bench", "zoo", "--models", "lightsans,sasrec", "--dataset", "synthetic", "--max-len", "8", "--full",
            "--set", $"data.data_path=\"{data}\"", "--set", "trainer.epochs=2", "--set", "trainer.train_batch_size=128", "--set", "trainer.threads=1", "--out", output];
        var (code, stdout, error) = Run(args);

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

        // Run again into the same folder: measured points are read back; a point whose process died after its
        // training continues that training (here already complete) instead of starting over.
        var lightsansPoint = Path.Combine(output, "point-lightsans-L8.json");
        var measured = File.ReadAllText(lightsansPoint);
        File.Delete(Path.Combine(output, "point-sasrec-L8.json"));
        (code, stdout, error) = Run(args);
        Assert.True(code == 0, $"{stdout}\n{error}");
        Assert.Contains("lightsans L=8: finished earlier", stdout, StringComparison.Ordinal);
        Assert.Equal(measured, File.ReadAllText(lightsansPoint));
        Assert.Contains("resuming the training in", File.ReadAllText(Path.Combine(output, "point-sasrec-L8.log")), StringComparison.Ordinal);
        using (var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "point-sasrec-L8.json"))))
            Assert.Equal(ndcg["sasrec"], again.RootElement.GetProperty("test_metrics").GetProperty("ndcg@10").GetDouble());

        // Other settings into the same folder are refused, not mixed in.
        (code, _, error) = Run([.. args, "--set", "trainer.learning_rate=0.01"]);
        Assert.Equal(2, code);
        Assert.Contains($"{lightsansPoint}: this point was measured with other settings", error, StringComparison.Ordinal);
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

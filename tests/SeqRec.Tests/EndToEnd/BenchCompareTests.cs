using System.Text.Json;
using System.Text.Json.Nodes;
using SeqRec.Cli;
using Xunit;

namespace SeqRec.Tests.EndToEnd;

/// <summary><c>seqrec bench compare --quick</c>: the whole comparison pipeline (one process per point) on tiny data.</summary>
public class BenchCompareTests
{
    [Fact]
    public void Quick_comparison_writes_results_report_and_plots()
    {
        using var folder = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(["bench", "compare", "--quick", "--models", "lightsans,sasrec", "--baseline", "sasrec", "--out", folder.Path], output, error);
        Assert.True(code == 0, $"{output}\n{error}");

        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "results.json"))).RootElement;
        var points = results.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(4, points.Count);
        Assert.All(points, p => Assert.True(p.GetProperty("peak_rss_bytes").GetInt64() > 0));
        // The peak can only grow after training: evaluation and the latency runs come later in the same process.
        Assert.All(points, p => Assert.InRange(p.GetProperty("training_peak_rss_bytes").GetInt64(), 1, p.GetProperty("peak_rss_bytes").GetInt64()));
        // Evaluation's own high-water mark: restarted when training ended, so within the whole point's peak.
        Assert.All(points, p => Assert.InRange(p.GetProperty("eval_peak_rss_bytes").GetInt64(), 1, p.GetProperty("peak_rss_bytes").GetInt64()));
        Assert.All(points, p => Assert.True(p.GetProperty("epoch_seconds")[0].GetDouble() > 0));
        Assert.Equal(["lightsans", "sasrec"], points.Select(p => p.GetProperty("model").GetString()).Distinct().Order());

        var report = File.ReadAllText(Path.Combine(folder.Path, "report.md"));
        Assert.Contains("## Training seconds per epoch", report, StringComparison.Ordinal);
        Assert.Contains("## Peak memory when training ends, before evaluation (GB)", report, StringComparison.Ordinal);
        Assert.Contains("## Peak memory while evaluating the test users", report, StringComparison.Ordinal);
        Assert.Contains("| 20 |", report, StringComparison.Ordinal);
        Assert.Contains("| sasrec / lightsans |", report, StringComparison.Ordinal);
        if (!error.ToString().Contains("plots skipped", StringComparison.Ordinal))
            Assert.True(new FileInfo(Path.Combine(folder.Path, "time-vs-length.png")).Length > 1000);

        // bench report merges runs: a later file's point replaces the same (model, length) of an earlier one.
        var later = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "results.json")))!.AsObject();
        var remeasured = later["points"]!.AsArray().Single(p => (string?)p!["model"] == "lightsans" && (int)p!["max_length"]! == 20)!.DeepClone();
        remeasured["epoch_seconds"] = new JsonArray(1234.5);
        remeasured["measured_steps"] = 3;
        later["points"] = new JsonArray(remeasured);
        var laterPath = Path.Combine(folder.Path, "later.json");
        File.WriteAllText(laterPath, later.ToJsonString());
        var merged = Path.Combine(folder.Path, "merged");

        code = CliApp.Run(["bench", "report", "--from", folder.Path, "--from", laterPath, "--out", merged], output, error);

        Assert.True(code == 0, $"{output}\n{error}");
        var mergedPoints = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, "results.json"))).RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(4, mergedPoints.Count);
        var mergedReport = File.ReadAllText(Path.Combine(merged, "report.md"));
        Assert.Contains("| 20 | 1234.50 |", mergedReport, StringComparison.Ordinal);
        Assert.Contains("at L = 20, seconds per epoch are the mean of 3 timed training steps", mergedReport, StringComparison.Ordinal);
        Assert.Contains("| sasrec / lightsans |", mergedReport, StringComparison.Ordinal);

        code = CliApp.Run(["bench", "report", "--from", folder.Path, "--baseline", "gru4rec", "--out", merged], output, error);
        Assert.Equal(2, code);
        Assert.Contains("--baseline: 'gru4rec' is not one of the compared models (lightsans, sasrec)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_report_names_a_missing_results_file()
    {
        using var folder = new TempFolder();
        var error = new StringWriter();

        var code = CliApp.Run(["bench", "report", "--from", folder.Path, "--out", Path.Combine(folder.Path, "out")], new StringWriter(), error);

        Assert.Equal(2, code);
        Assert.Contains($"{Path.Combine(folder.Path, "results.json")}: not found", error.ToString(), StringComparison.Ordinal);
    }
}

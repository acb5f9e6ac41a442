using System.Text.Json;
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
        var code = CliApp.Run(["bench", "compare", "--quick", "--out", folder.Path], output, error);
        Assert.True(code == 0, $"{output}\n{error}");

        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "results.json"))).RootElement;
        var points = results.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(4, points.Count);
        Assert.All(points, p => Assert.True(p.GetProperty("peak_rss_bytes").GetInt64() > 0));
        Assert.All(points, p => Assert.True(p.GetProperty("epoch_seconds")[0].GetDouble() > 0));
        Assert.Equal(["lightsans", "sasrec"], points.Select(p => p.GetProperty("model").GetString()).Distinct().Order());

        var report = File.ReadAllText(Path.Combine(folder.Path, "report.md"));
        Assert.Contains("## Training seconds per epoch", report, StringComparison.Ordinal);
        Assert.Contains("| 20 |", report, StringComparison.Ordinal);
        Assert.Contains("SASRec / LightSANs", report, StringComparison.Ordinal);
        if (!error.ToString().Contains("plots skipped", StringComparison.Ordinal))
            Assert.True(new FileInfo(Path.Combine(folder.Path, "time-vs-length.png")).Length > 1000);
    }
}

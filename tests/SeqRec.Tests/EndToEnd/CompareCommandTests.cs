using System.Text.Json;
using System.Text.RegularExpressions;
using SeqRec.Benchmarks;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.EndToEnd;

/// <summary><c>seqrec compare</c> on tiny synthetic data: every run kept, reports in four formats, reruns reuse finished runs.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class CompareCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _data;
    private readonly string[] _settings;

    public CompareCommandTests()
    {
        _data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(_data, "tiny", users: 30, items: 20, interactionsPerUser: 10, seed: 5);
        _settings =
        [
            "--dataset", "tiny", "--set", $"data.data_path=\"{_data}\"", "--set", "trainer.epochs=2", "--set", "trainer.train_batch_size=32",
            "--set", "data.max_item_list_length=6", "--set", "eval.metrics=[\"Recall\",\"MRR\",\"ItemCoverage\"]",
        ];
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Two_entries_over_two_seeds_give_every_report_and_a_rerun_redoes_nothing()
    {
        var variant = _folder.File("small_gru.toml", "model = \"gru4rec\"\n[gru4rec]\nembedding_size = 8\nhidden_size = 8\n");
        var output = Path.Combine(_folder.Path, "cmp");
        string[] args = ["compare", "--models", $"stamp,{variant}", "--seeds", "2", .. _settings, "--out", output];

        var (code, text, error) = Run(args);
        Assert.True(code == 0, text + error);

        var runs = File.ReadAllLines(Path.Combine(output, "runs.csv"));
        Assert.Equal("label,model,seed,best_epoch,epochs,folder,trainable_parameters,median_epoch_seconds,training_seconds,peak_rss_bytes,recall@10,mrr@10,itemcoverage@10", runs[0]);
        Assert.Equal(["stamp,stamp,2020", "stamp,stamp,2021", "small_gru,gru4rec,2020", "small_gru,gru4rec,2021"],
            runs.Skip(1).Select(line => string.Join(',', line.Split(',').Take(3))));
        foreach (var line in runs.Skip(1)) Assert.True(File.Exists(Path.Combine(line.Split(',')[5], "best.ckpt")), line);
        CheckCosts(runs.Skip(1).Select(line => line.Split(',')).ToList());

        var summary = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(1 + 2 * 3, summary.Length);
        Assert.All(summary.Where(l => l.StartsWith("small_gru,", StringComparison.Ordinal)), line =>
            Assert.Matches(@",t,[^,]+,[0-9.Ee-]+$", line)); // a t statistic and a p-value against the baseline

        var markdown = File.ReadAllText(Path.Combine(output, "compare.md"));
        Assert.Contains("| model | seeds | Recall@10 | MRR@10 | ItemCoverage@10 |", markdown);
        Assert.Matches(@"\| stamp \(baseline\) \| 2 \| (\*\*)?\d\.\d{4} ± \d\.\d{4}", markdown);
        Assert.Contains("## Against stamp", markdown);
        Assert.Contains("| model | parameters | s / epoch | epochs | training (min) | peak memory (GB) |", markdown);
        Assert.Matches(@"\| small_gru \| [\d,]+ \| \d+\.\d\d \| 2\.0 \| \d+\.\d \| \d+\.\d\d \|", markdown);
        var tables = File.ReadAllText(Path.Combine(output, "compare.tex")).Split(@"\end{table}", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, tables.Length);
        CheckLatex(tables[0] + @"\end{table}", columns: 3, rows: 2, escapedLabel: @"small\_gru");
        CheckLatex(tables[1] + @"\end{table}", columns: 4, rows: 2, escapedLabel: @"small\_gru");
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json"))))
            Assert.Equal(4, json.RootElement.GetProperty("runs").GetArrayLength());

        var before = File.ReadAllText(Path.Combine(output, "runs.csv"));
        var checkpoint = File.GetLastWriteTimeUtc(Path.Combine(output, "stamp", "seed-2021", "best.ckpt"));
        (code, text, error) = Run(args);
        Assert.True(code == 0, text + error);
        Assert.Equal(4, Regex.Matches(text, "finished earlier").Count);
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, "runs.csv")));
        Assert.Equal(checkpoint, File.GetLastWriteTimeUtc(Path.Combine(output, "stamp", "seed-2021", "best.ckpt")));
    }

    [Fact]
    public void A_run_of_the_comparison_equals_the_same_run_on_its_own()
    {
        // The second seed runs after the first in the same process: nothing of the first may leak into it.
        var output = Path.Combine(_folder.Path, "cmp");
        var (code, text, error) = Run(["compare", "--models", "stamp", "--seeds", "2020,2021", .. _settings, "--out", output]);
        Assert.True(code == 0, text + error);
        var runsRoot = Path.Combine(_folder.Path, "alone");
        (code, text, error) = Run(["run", "--model", "stamp", .. _settings, "--set", "trainer.seed=2021", "--runs-root", runsRoot]);
        Assert.True(code == 0, text + error);

        Assert.Equal(Test(Directory.GetDirectories(runsRoot).Single()), Test(Path.Combine(output, "stamp", "seed-2021")));
    }

    [Fact]
    public void An_interrupted_run_is_resumed_and_a_run_with_other_settings_is_refused()
    {
        var output = Path.Combine(_folder.Path, "cmp");
        string[] args = ["compare", "--models", "stamp", "--seeds", "1", .. _settings, "--out", output];
        Assert.Equal(0, Run(args).Code);
        var run = Path.Combine(output, "stamp", "seed-2020");
        var expected = Test(run);
        File.Delete(Path.Combine(run, "results.json")); // as if killed after its last epoch, before the results were written

        var (code, text, error) = Run(args);
        Assert.True(code == 0, text + error);
        Assert.Contains("resuming in", text);
        Assert.Equal(expected, Test(run));

        (code, _, error) = Run(["compare", "--models", "stamp", "--seeds", "1", .. _settings, "--set", "trainer.learning_rate=0.01", "--out", output]);
        Assert.Equal(2, code);
        Assert.Contains($"{Path.Combine(run, "config.toml")}: this run was made with another configuration", error);
        Assert.Contains("learning_rate", error);
    }

    [Theory]
    [InlineData("--seeds", "0", "--seeds: 0 is not a number of seeds")]
    [InlineData("--seeds", "20x,21", "--seeds: '20x' is not an integer seed")]
    [InlineData("--baseline", "sasrec", "--baseline: 'sasrec' is not among the compared entries (stamp)")]
    [InlineData("--test", "anova", "--test: 'anova' is not a known test")]
    public void Bad_options_are_clear_errors(string option, string value, string expected)
    {
        var (code, _, error) = Run(["compare", "--models", "stamp", .. _settings, option, value, "--out", Path.Combine(_folder.Path, "x")]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }

    /// <summary>
    /// The cost columns of runs.csv: the parameter count the run's log states, the same for every seed of an entry
    /// and different between the two models; positive seconds and memory.
    /// </summary>
    private static void CheckCosts(List<string[]> rows)
    {
        foreach (var row in rows)
        {
            var logged = Regex.Match(File.ReadAllText(Path.Combine(row[5], "run.log")), @"([\d,]+) trainable parameters").Groups[1].Value.Replace(",", "");
            Assert.Equal(logged, row[6]);
            Assert.True(double.Parse(row[7], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join(',', row));
            Assert.True(double.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture) >= double.Parse(row[7], System.Globalization.CultureInfo.InvariantCulture), string.Join(',', row));
            Assert.True(long.Parse(row[9], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join(',', row));
        }
        Assert.Equal(2, rows.Select(r => r[6]).Distinct().Count());
    }

    [Fact]
    public void A_bad_later_entry_is_refused_before_any_run_trains()
    {
        var broken = _folder.File("wide_gru.toml", "model = \"gru4rec\"\n[gru4rec]\nhidden_size = -4\n");
        var output = Path.Combine(_folder.Path, "cmp");

        var (code, _, error) = Run(["compare", "--models", $"stamp,{broken}", .. _settings, "--out", output]);

        Assert.Equal(2, code);
        Assert.Contains("hidden_size", error);
        Assert.False(Directory.Exists(Path.Combine(output, "stamp")), "stamp trained before the broken entry was refused");

        (code, _, error) = Run(["compare", "--models", "stamp,gru4rex", .. _settings, "--out", output]);
        Assert.Equal(2, code);
        Assert.Contains("--models: unknown model 'gru4rex'; did you mean 'gru4rec'?", error);
        Assert.False(Directory.Exists(Path.Combine(output, "stamp")), "stamp trained before the unknown model was refused");
    }

    private static string Test(string run)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        return json.RootElement.GetProperty("test").GetRawText();
    }

    /// <summary>
    /// The table's structure as LaTeX reads it: environments balanced and nested, every row with as many cells as
    /// the column specification, math delimiters paired, braces balanced, special characters of labels escaped.
    /// </summary>
    private static void CheckLatex(string latex, int columns, int rows, string escapedLabel)
    {
        var environments = new Stack<string>();
        foreach (Match match in Regex.Matches(latex, @"\\(begin|end)\{(\w+)\}"))
        {
            if (match.Groups[1].Value == "begin") environments.Push(match.Groups[2].Value);
            else Assert.Equal(environments.Pop(), match.Groups[2].Value);
        }
        Assert.Empty(environments);
        var spec = Regex.Match(latex, @"\\begin\{tabular\}\{([lrc]+)\}").Groups[1].Value;
        Assert.Equal(1 + columns, spec.Length);
        var body = latex[(latex.IndexOf(@"\begin{tabular}", StringComparison.Ordinal) + spec.Length + 17)..latex.IndexOf(@"\end{tabular}", StringComparison.Ordinal)];
        var lines = body.Split('\n').Where(l => l.EndsWith(@"\\", StringComparison.Ordinal)).ToList();
        Assert.Equal(1 + rows, lines.Count);
        Assert.All(lines, line => Assert.Equal(columns, Regex.Matches(line, @"(?<!\\)&").Count));
        Assert.All(lines, line => Assert.Equal(0, Regex.Matches(line, @"(?<!\\)\$").Count % 2));
        var depth = 0;
        for (var i = 0; i < latex.Length; i++)
        {
            if (latex[i] == '\\') { i++; continue; }
            if (latex[i] == '{') depth++;
            if (latex[i] == '}') depth--;
            Assert.True(depth >= 0, "a closing brace without its opening one");
        }
        Assert.Equal(0, depth);
        Assert.Contains(escapedLabel, latex);
    }
}

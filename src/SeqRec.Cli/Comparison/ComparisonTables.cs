using System.Globalization;
using System.Text;
using SeqRec.Statistics;

namespace SeqRec.Cli.Comparison;

/// <summary>
/// The reports of <c>seqrec compare</c>: a Markdown page, LaTeX tables of quality and cost for a paper (plain LaTeX, no
/// package needed), and two CSV files (one row per run; one row per entry and metric with its test against the baseline).
/// </summary>
internal static class ComparisonTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The significance mark of a p-value: ** below 0.01, * below 0.05.</summary>
    public static string Mark(PairedTestResult? test) => test?.PValue switch
    {
        < 0.01 => "**",
        < 0.05 => "*",
        _ => "",
    };

    public static string TestName(PairedTestKind kind) => kind == PairedTestKind.TTest ? "paired t-test" : "Wilcoxon signed-rank test";

    public static string Markdown(ComparisonSummary summary, IReadOnlyList<ComparisonRun> runs, IReadOnlyList<long> seeds, string dataset, string validMetric, string command, string machine)
    {
        var text = new StringBuilder();
        text.Append(Invariant, $"# {string.Join(" vs ", summary.Labels)} on {dataset}\n\n");
        text.Append(Invariant, $"Command: `{command}`\n\nMachine: {machine}.\n\n");
        text.Append(Invariant, $"Test metrics at each run's best epoch (early stopping on valid {validMetric}), mean ± standard deviation over the seeds ");
        text.Append(Invariant, $"{string.Join(", ", seeds)}. Marks: {TestName(summary.TestKind)} against **{summary.Baseline}**, paired by seed, two-sided; ");
        text.Append("\\* p < 0.05, \\*\\* p < 0.01. Bold: the best mean of a column.\n\n");
        text.Append("| model | seeds | ").Append(string.Join(" | ", summary.Metrics.Select(ComparisonSummary.DisplayName))).Append(" |\n");
        text.Append("|---|---:|").Append(string.Concat(summary.Metrics.Select(_ => "---:|"))).Append('\n');
        foreach (var label in summary.Labels)
        {
            var seedCount = summary.Row(label, summary.Metrics[0])?.Seeds ?? 0;
            text.Append(Invariant, $"| {label}{(label == summary.Baseline ? " (baseline)" : "")} | {seedCount} |");
            foreach (var metric in summary.Metrics)
            {
                var row = summary.Row(label, metric)!;
                var cell = $"{row.Mean.ToString("F4", Invariant)} ± {row.Std.ToString("F4", Invariant)}";
                if (IsBest(summary, row)) cell = $"**{cell}**";
                text.Append(' ').Append(cell).Append(Mark(row.Test).Replace("*", "\\*", StringComparison.Ordinal)).Append(" |");
            }
            text.Append('\n');
        }

        var others = summary.Labels.Where(l => l != summary.Baseline).ToList();
        if (others.Count > 0)
        {
            text.Append(Invariant, $"\n## Against {summary.Baseline}\n\nChange of the mean relative to {summary.Baseline}, and the p-value of the {TestName(summary.TestKind)} over paired seeds.\n\n");
            text.Append("| model | ").Append(string.Join(" | ", summary.Metrics.Select(ComparisonSummary.DisplayName))).Append(" |\n");
            text.Append("|---|").Append(string.Concat(summary.Metrics.Select(_ => "---:|"))).Append('\n');
            foreach (var label in others)
            {
                text.Append(Invariant, $"| {label} |");
                foreach (var metric in summary.Metrics)
                {
                    var row = summary.Row(label, metric)!;
                    var change = row.RelativeChange is { } r ? (r >= 0 ? "+" : "") + (r * 100).ToString("F1", Invariant) + "%" : "–";
                    var p = row.Test is { } t ? $" (p = {FormatP(t.PValue)})" : " (too few seeds)";
                    text.Append(' ').Append(change).Append(p).Append(" |");
                }
                text.Append('\n');
            }
        }

        text.Append(Invariant, $"\n## Cost\n\n{CostCaption}\n\n");
        text.Append("| model | parameters | s / epoch | epochs | training (min) | peak memory (GB) |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var cost in CostRows(summary.Labels, runs))
            text.Append(Invariant, $"| {cost.Label} | {cost.Parameters?.ToString("N0", Invariant) ?? "–"} | {cost.EpochSeconds:F2} | {cost.Epochs:F1} | {cost.TrainingSeconds / 60:F1} | {Gigabytes(cost.PeakRssBytes)} |\n");

        text.Append("\n## Runs\n\n| model | seed | best epoch | epochs | s / epoch | peak memory (GB) | folder |\n|---|---:|---:|---:|---:|---:|---|\n");
        foreach (var run in runs)
            text.Append(Invariant, $"| {run.Label} | {run.Seed} | {run.BestEpoch} | {run.Epochs} | {run.Cost.MedianEpochSeconds:F2} | {Gigabytes(run.Cost.PeakRssBytes)} | {run.Folder} |\n");
        return text.ToString();
    }

    private const string CostCaption =
        "Per entry over its seeds: trainable parameters; the mean of each run's median training epoch (validation excluded); " +
        "mean epochs trained; mean wall time of training and validation; the largest peak resident memory of the process. " +
        "Runs after the first share one process, so their peak includes what it still holds (datasets, runtime).";

    /// <summary>One entry's cost over its seeds.</summary>
    public sealed record CostRow(string Label, long? Parameters, double EpochSeconds, double Epochs, double TrainingSeconds, long? PeakRssBytes);

    public static IReadOnlyList<CostRow> CostRows(IReadOnlyList<string> labels, IReadOnlyList<ComparisonRun> runs) =>
    [
        .. labels.Select(label => runs.Where(r => r.Label == label).ToList()).Where(own => own.Count > 0).Select(own => new CostRow(
            own[0].Label,
            own.Select(r => r.Cost.TrainableParameters).FirstOrDefault(p => p is not null),
            own.Average(r => r.Cost.MedianEpochSeconds),
            own.Average(r => (double)r.Epochs),
            own.Average(r => r.Cost.TrainingSeconds),
            own.Max(r => r.Cost.PeakRssBytes))),
    ];

    private static string Gigabytes(long? bytes, string missing = "–") => bytes is { } b ? (b / 1e9).ToString("F2", Invariant) : missing;

    /// <summary>
    /// A <c>table</c> float holding a <c>tabular</c> of mean ± std per metric, best means in bold and significance as
    /// superscripts; labels escaped for LaTeX. It uses no package, so it compiles in any document.
    /// </summary>
    public static string Latex(ComparisonSummary summary, IReadOnlyList<long> seeds, string dataset)
    {
        var text = new StringBuilder();
        text.Append("% Written by seqrec compare. Plain LaTeX: no package needed.\n");
        text.Append("\\begin{table}[t]\n\\centering\n");
        text.Append(Invariant, $"\\caption{{Test metrics on {Escape(dataset)}: mean $\\pm$ standard deviation over {seeds.Count} seeds. ");
        text.Append(Invariant, $"$^{{*}}$: $p < 0.05$, $^{{**}}$: $p < 0.01$ in a two-sided {TestName(summary.TestKind)} against {Escape(summary.Baseline)}, paired by seed. Best mean in bold.}}\n");
        text.Append("\\label{tab:seqrec-compare}\n");
        text.Append("\\begin{tabular}{l").Append(new string('r', summary.Metrics.Count)).Append("}\n\\hline\n");
        text.Append("Model & ").Append(string.Join(" & ", summary.Metrics.Select(m => Escape(ComparisonSummary.DisplayName(m))))).Append(" \\\\\n\\hline\n");
        foreach (var label in summary.Labels)
        {
            text.Append(Escape(label));
            foreach (var metric in summary.Metrics)
            {
                var row = summary.Row(label, metric)!;
                var value = $"{row.Mean.ToString("F4", Invariant)} \\pm {row.Std.ToString("F4", Invariant)}";
                if (IsBest(summary, row)) value = $"\\mathbf{{{value}}}";
                var mark = Mark(row.Test);
                text.Append(" & $").Append(value).Append(mark.Length > 0 ? $"^{{{mark}}}" : "").Append('$');
            }
            text.Append(" \\\\\n");
        }
        text.Append("\\hline\n\\end{tabular}\n\\end{table}\n");
        return text.ToString();
    }

    /// <summary>A second plain-LaTeX table: each entry's parameters, seconds per epoch, epochs and peak memory.</summary>
    public static string LatexCost(IReadOnlyList<string> labels, IReadOnlyList<ComparisonRun> runs, string dataset, string machine)
    {
        var text = new StringBuilder();
        text.Append("\\begin{table}[t]\n\\centering\n");
        text.Append(Invariant, $"\\caption{{Cost on {Escape(dataset)} ({Escape(machine)}): trainable parameters, median seconds per training epoch, ");
        text.Append("epochs trained and peak resident memory, over the same runs.}\n");
        text.Append("\\label{tab:seqrec-cost}\n\\begin{tabular}{lrrrr}\n\\hline\n");
        text.Append("Model & Parameters & s/epoch & Epochs & Memory (GB) \\\\\n\\hline\n");
        foreach (var cost in CostRows(labels, runs))
            text.Append(Invariant, $"{Escape(cost.Label)} & {cost.Parameters?.ToString("N0", Invariant) ?? "--"} & {cost.EpochSeconds:F2} & {cost.Epochs:F1} & {Gigabytes(cost.PeakRssBytes, missing: "--")} \\\\\n");
        text.Append("\\hline\n\\end{tabular}\n\\end{table}\n");
        return text.ToString();
    }

    public static string RunsCsv(IReadOnlyList<ComparisonRun> runs, IReadOnlyList<string> metrics)
    {
        var text = new StringBuilder("label,model,seed,best_epoch,epochs,folder,trainable_parameters,median_epoch_seconds,training_seconds,peak_rss_bytes");
        foreach (var metric in metrics) text.Append(',').Append(metric);
        text.Append('\n');
        foreach (var run in runs)
        {
            text.Append(Invariant, $"{Csv(run.Label)},{Csv(run.Model)},{run.Seed},{run.BestEpoch},{run.Epochs},{Csv(run.Folder)},");
            text.Append(Invariant, $"{run.Cost.TrainableParameters},{Math.Round(run.Cost.MedianEpochSeconds, 3).ToString("R", Invariant)},{Math.Round(run.Cost.TrainingSeconds, 3).ToString("R", Invariant)},{run.Cost.PeakRssBytes}");
            foreach (var metric in metrics)
                text.Append(',').Append(run.Test.FirstOrDefault(m => m.Key == metric) is { Key: not null } m ? m.Value.ToString("R", Invariant) : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    public static string SummaryCsv(ComparisonSummary summary)
    {
        var text = new StringBuilder("label,metric,seeds,mean,std,difference_to_baseline,relative_change,test,statistic,p_value\n");
        foreach (var row in summary.Rows)
        {
            text.Append(Invariant, $"{Csv(row.Label)},{row.Metric},{row.Seeds},{row.Mean.ToString("R", Invariant)},{row.Std.ToString("R", Invariant)},");
            text.Append(Invariant, $"{row.Difference?.ToString("R", Invariant)},{row.RelativeChange?.ToString("R", Invariant)},");
            text.Append(Invariant, $"{(row.Test is null ? "" : row.Test.Kind == PairedTestKind.TTest ? "t" : "wilcoxon")},{row.Test?.Statistic.ToString("R", Invariant)},{row.Test?.PValue.ToString("R", Invariant)}\n");
        }
        return text.ToString();
    }

    /// <summary>Escapes LaTeX's special characters in plain text.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '{' or '}' or '_' or '%' or '&' or '#' or '$' => "\\" + c,
                '^' => "\\^{}",
                '~' => "\\~{}",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static bool IsBest(ComparisonSummary summary, MetricSummary row)
    {
        if (summary.Labels.Count < 2) return false;
        var means = summary.Rows.Where(r => r.Metric == row.Metric).Select(r => r.Mean).ToList();
        return row.Mean == (ComparisonSummary.SmallerIsBetter(row.Metric) ? means.Min() : means.Max());
    }

    private static string FormatP(double p) => p < 0.001 ? "< 0.001" : p.ToString("F3", Invariant);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

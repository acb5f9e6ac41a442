using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Runs;
using SeqRec.Statistics;

namespace SeqRec.Cli.Comparison;

/// <summary>
/// Writes a comparison's reports into its folder, each atomically: <c>compare.md</c>, <c>compare.tex</c>,
/// <c>runs.csv</c>, <c>summary.csv</c> and <c>compare.json</c>. Called after every finished run, so a comparison
/// stopped half way still has its reports so far.
/// </summary>
internal sealed class ComparisonReportFiles(ComparisonPlan plan, string dataset, string validMetric, string commandLine, MachineInfo machine, string machineText)
{
    /// <returns>The Markdown report.</returns>
    public string Write(IReadOnlyList<ComparisonRun> runs)
    {
        var labels = plan.Entries.Select(e => e.Label).ToList();
        var summary = ComparisonSummary.Of(runs, labels, plan.Baseline, plan.Test);
        var markdown = ComparisonTables.Markdown(summary, runs, plan.Seeds, dataset, validMetric, commandLine, machineText);
        AtomicFile.WriteAllText(Path.Combine(plan.Folder, "compare.md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(plan.Folder, "compare.tex"),
            ComparisonTables.Latex(summary, plan.Seeds, dataset) + "\n" + ComparisonTables.LatexCost(summary.Labels, runs, dataset, machineText));
        AtomicFile.WriteAllText(Path.Combine(plan.Folder, "runs.csv"), ComparisonTables.RunsCsv(runs, summary.Metrics));
        AtomicFile.WriteAllText(Path.Combine(plan.Folder, "summary.csv"), ComparisonTables.SummaryCsv(summary));
        AtomicFile.WriteAllText(Path.Combine(plan.Folder, "compare.json"), JsonSerializer.Serialize(new
        {
            command = commandLine,
            machine,
            dataset,
            baseline = plan.Baseline,
            test = plan.Test == PairedTestKind.TTest ? "t" : "wilcoxon",
            seeds = plan.Seeds,
            runs = runs.Select(r => new
            {
                label = r.Label, model = r.Model, seed = r.Seed, best_epoch = r.BestEpoch, epochs = r.Epochs, folder = r.Folder, test = r.Test.ToDictionary(),
                trainable_parameters = r.Cost.TrainableParameters, median_epoch_seconds = r.Cost.MedianEpochSeconds,
                training_seconds = r.Cost.TrainingSeconds, peak_rss_bytes = r.Cost.PeakRssBytes,
            }),
            summary = summary.Rows.Select(r => new
            {
                label = r.Label, metric = r.Metric, seeds = r.Seeds, mean = r.Mean, std = r.Std,
                difference_to_baseline = r.Difference, relative_change = r.RelativeChange, statistic = r.Test?.Statistic, p_value = r.Test?.PValue,
            }),
        }, SeqRecJson.Files));
        return markdown;
    }
}

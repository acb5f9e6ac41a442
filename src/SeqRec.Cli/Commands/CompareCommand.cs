using System.CommandLine;
using System.Globalization;
using SeqRec.Benchmarks;
using SeqRec.Cli.Comparison;
using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Runs;
using SeqRec.Statistics;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary>
/// <c>seqrec compare</c>: trains each listed model or config once per seed, keeps every run, and reports mean ± std
/// per test metric with a paired significance test against a baseline, as Markdown, LaTeX, CSV and JSON. Running
/// the same command again with the same <c>--out</c> reuses finished runs and resumes interrupted ones.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var models = new Option<string>("--models") { Description = "Comma-separated model ids or config files (.toml/.yaml) to compare; a file's name labels it.", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "How many seeds (trainer.seed, +1, +2, ...), or the seeds themselves: 2020,2021,2022.", DefaultValueFactory = _ => "3" };
        var baseline = new Option<string?>("--baseline") { Description = "The entry the others are tested against (default: the first)." };
        var test = new Option<string>("--test") { Description = "Paired test over seeds: t (Student's paired t-test) or wilcoxon (signed-rank, exact).", DefaultValueFactory = _ => "t" };
        var output = new Option<string?>("--out") { Description = "Output folder; give the same one again to continue (default runs/compare-<timestamp>)." };
        var command = new Command("compare", "Train several models or configs over several seeds and compare their test metrics: mean ± std and a paired significance test against a baseline, with parameters, seconds per epoch and peak memory, as Markdown, LaTeX and CSV (like RecBole's run_recbole_group, with statistics).");
        options.AddTo(command);
        foreach (var option in new Option[] { models, seeds, baseline, test, output }) command.Options.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            using var interruption = ChildLifetime.Linked(cancellation);
            var shared = options.Request(parse);
            if (shared.Model is not null) throw new SeqRecException("--model: compare takes its models from --models (model ids or config files)");
            var entries = parse.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ComparisonEntry.Parse).ToList();
            var folder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            if (entries.Count == 0) throw new SeqRecException("--models: name at least one model or config file");
            // Every entry's configuration is checked now, not when its turn comes after hours of the others' training.
            var resolved = entries.Select(entry => Resolve(shared, entry, host.Registry)).ToList();
            // The first entry's settings give the seeds' start, the dataset and the metrics the reports describe.
            var first = resolved[0];
            foreach (var warning in resolved.SelectMany(c => c.Warnings).Distinct()) parse.InvocationConfiguration.Error.WriteLine(warning);
            var plan = new ComparisonPlan(entries, Seeds(parse.GetValue(seeds)!, first.Trainer.Seed), parse.GetValue(baseline) ?? entries[0].Label,
                TestKind(parse.GetValue(test)!), shared, folder).Validate();

            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            var commandLine = "seqrec " + string.Join(' ', tokens.Select(Quote)) + (parse.GetValue(output) is null ? $" --out {Quote(folder)}" : "");
            var machine = MachineInfo.Current();
            var machineText = $"{machine.Cpu}, {machine.Cores} cores, torch threads {(first.Trainer.Threads > 0 ? first.Trainer.Threads : machine.TorchThreads)}, {machine.Os}, {machine.Runtime}";
            var console = ConsoleFor.Output(parse);
            parse.InvocationConfiguration.Output.WriteLine($"comparing {string.Join(", ", entries.Select(e => e.Label))} over seeds {string.Join(", ", plan.Seeds)} in {folder}");
            Directory.CreateDirectory(folder);

            var reports = new ComparisonReportFiles(plan, first.Data.Dataset, first.Eval.ValidMetric, commandLine, machine, machineText);

            IReadOnlyList<ComparisonRun> all;
            try
            {
                all = new ComparisonRunner(plan, host.Registry, parse.InvocationConfiguration.Output).Run(runs => reports.Write(runs), interruption.Token);
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"interrupted; finished runs are kept. Continue with: {commandLine}");
                return Task.FromResult(130);
            }
            var report = reports.Write(all);
            parse.InvocationConfiguration.Output.Write("\n" + report);
            console.WriteLine($"reports: {Path.Combine(folder, "compare.md")}, compare.tex, runs.csv, summary.csv, compare.json");
            return Task.FromResult(CliApp.Ok);
        });
        return command;
    }

    /// <summary>"3" → first, first + 1, first + 2; "2020,2021" → those seeds.</summary>
    internal static IReadOnlyList<long> Seeds(string text, long first)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && !text.Contains(','))
        {
            if (count is < 1 or > 1000) throw new SeqRecException($"--seeds: {count} is not a number of seeds from 1 to 1000 (to give one seed itself, write it with a comma: {count},)");
            return [.. Enumerable.Range(0, count).Select(i => first + i)];
        }
        return [.. parts.Select(p => long.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new SeqRecException($"--seeds: '{p}' is not an integer seed (expected a count such as 3, or seeds such as 2020,2021,2022)"))];
    }

    private static PairedTestKind TestKind(string text) => text.ToLowerInvariant() switch
    {
        "t" or "ttest" or "t-test" => PairedTestKind.TTest,
        "wilcoxon" => PairedTestKind.Wilcoxon,
        _ => throw new SeqRecException($"--test: '{text}' is not a known test (expected t or wilcoxon)"),
    };

    private static ResolvedConfig Resolve(ConfigRequest shared, ComparisonEntry entry, ModelRegistry registry)
    {
        if (entry.Model is { } id && entry.File is null)
        {
            try
            {
                registry.Get(id);
            }
            catch (SeqRecException e)
            {
                throw new SeqRecException($"--models: {e.Message}", e);
            }
        }
        return ConfigResolver.Resolve(ComparisonPlan.EntryRequest(shared, entry), registry);
    }

    private static string Quote(string token) => token.Length > 0 && token.All(c => char.IsLetterOrDigit(c) || "-_.,/=:@+".Contains(c)) ? token : $"'{token.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

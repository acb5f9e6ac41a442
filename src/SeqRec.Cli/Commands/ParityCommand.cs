using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SeqRec.Parity;
using SeqRec.Runs;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary>
/// <c>seqrec parity DIR</c>: every reference fixture under DIR through the registered model of its <c>model</c> field,
/// one row per fixture with the worst difference per output (the forward column covers a model's further forward
/// outputs, such as BERT4Rec's <c>forward_masked</c>); exit 1 when a registered model fails one.
/// </summary>
internal static class ParityCommand
{
    public static Command Create(ModelHost host)
    {
        var path = new Argument<string>("path") { Description = "A fixture file or a folder of them (searched recursively for *.json)." };
        var json = new Option<string?>("--json") { Description = "Also write every comparison as JSON to this file." };
        var kernels = new Option<string>("--kernels") { Description = "The shared layers' path: fused (the default for training) or plain (RecBole-shaped).", DefaultValueFactory = _ => "fused" };
        kernels.AcceptOnlyFromAmong("fused", "plain");
        var command = new Command("parity", "Check models against reference fixtures (RecBole 1.2.1 outputs, schema 1 or 2): forward, full-sort and candidate scores, every loss.");
        command.Arguments.Add(path);
        command.Options.Add(json);
        command.Options.Add(kernels);
        command.SetAction(parse =>
        {
            var files = Files(parse.GetValue(path)!);
            var choice = parse.GetValue(kernels) == "plain" ? Modeling.KernelChoice.Plain : Modeling.KernelChoice.Fused;
            var results = new List<ParityResult>();
            foreach (var (file, display) in files)
            {
                var fixture = ParityFixture.Load(file);
                var result = ParityCheck.Run(fixture, host.Registry, choice);
                results.Add(result with { Fixture = display });
            }
            var console = ConsoleFor.Output(parse);
            console.Write(Table(results));
            var counts = results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
            var unregistered = results.Where(r => r.Status == ParityStatus.NotRegistered).Select(r => r.Model).Distinct().ToList();
            console.WriteLine($"{counts.GetValueOrDefault(ParityStatus.Passed)} passed, {counts.GetValueOrDefault(ParityStatus.Failed)} failed, " +
                $"{counts.GetValueOrDefault(ParityStatus.NotRegistered)} not registered here{(unregistered.Count > 0 ? $" (models: {string.Join(", ", unregistered)})" : "")}");
            foreach (var failed in results.Where(r => r.Status == ParityStatus.Failed))
            {
                if (failed.Error is not null) parse.InvocationConfiguration.Error.WriteLine($"{failed.Fixture}: {failed.Error}");
                foreach (var c in failed.Comparisons.Where(c => !c.Passed))
                    parse.InvocationConfiguration.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{failed.Fixture}: {c.Output} differs by {c.Difference:G3} ({c.Detail}), tolerance {c.Tolerance}"));
            }
            if (parse.GetValue(json) is { } jsonPath)
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(results.Select(r => new { r.Fixture, r.Model, model_id = r.ModelId, status = r.Status.ToString().ToLowerInvariant(), r.Error, r.Comparisons, r.Unchecked }), SeqRecJson.Output));
            return counts.GetValueOrDefault(ParityStatus.Failed) > 0 ? CliApp.Failure : CliApp.Ok;
        });
        return command;
    }


    private static List<(string File, string Display)> Files(string path)
    {
        if (File.Exists(path)) return [(path, Path.GetFileName(path))];
        if (!Directory.Exists(path)) throw new SeqRecException($"{path}: no such fixture file or folder");
        var files = Directory.GetFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (f, Path.GetRelativePath(path, f))).ToList();
        return files.Count > 0 ? files : throw new SeqRecException($"{path}: no *.json fixtures in it");
    }

    private static Table Table(IReadOnlyList<ParityResult> results)
    {
        var table = new Table().AddColumns("fixture", "model", "forward", "full sort", "predict", "losses (rel.)", "result");
        foreach (var r in results)
        {
            string Worst(Func<ParityComparison, bool> which)
            {
                var matching = r.Comparisons.Where(which).ToList();
                return matching.Count == 0 ? "" : matching.Max(c => c.Difference).ToString("G2", CultureInfo.InvariantCulture);
            }
            var status = r.Status switch
            {
                ParityStatus.Passed => "pass",
                ParityStatus.Failed => r.Error is null ? "FAIL" : "ERROR",
                _ => "not registered",
            };
            table.AddRow([.. new[]
            {
                r.Fixture, r.ModelId ?? r.Model, Worst(c => c.Output.StartsWith("forward", StringComparison.Ordinal)), Worst(c => c.Output == "full_sort_scores"),
                Worst(c => c.Output == "predict_scores"), Worst(c => c.IsRelative), status,
            }.Select(Markup.Escape)]);
        }
        return table;
    }
}

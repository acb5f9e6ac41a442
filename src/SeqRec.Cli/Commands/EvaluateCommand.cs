using System.CommandLine;
using Spectre.Console;
using System.Diagnostics;
using System.Globalization;
using SeqRec.Cli.Display;
using SeqRec.Cli.Runs;
using SeqRec.Data;
using SeqRec.Evaluation;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec evaluate --checkpoint C</c>: recompute a saved model's metrics on its dataset.</summary>
internal static class EvaluateCommand
{
    public static Command Create(ModelHost host)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A best.ckpt from a run, or a model written by 'seqrec import'.", Required = true };
        var split = new Option<string>("--split") { Description = "test or valid.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "valid");
        var sets = CommonOptions.Sets();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Evaluate a saved model with full ranking (or eval.mode) on the test or valid split of its dataset.");
        command.Options.Add(checkpoint);
        command.Options.Add(split);
        command.Options.Add(sets);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var console = ConsoleFor.Output(parse);
            using var saved = SavedModel.Load(parse.GetValue(checkpoint)!, host.Registry, parse.GetValue(sets) ?? [], parse.InvocationConfiguration.Output);
            var splitName = parse.GetValue(split)!;
            var samples = splitName == "valid" ? saved.Dataset.Valid : saved.Dataset.Test;
            var watch = Stopwatch.StartNew();
            var metrics = saved.Evaluate(splitName);
            watch.Stop();
            if (parse.GetValue(json))
            {
                CommonOptions.WriteJson(parse, new
                {
                    Model = saved.Config.Model.Id,
                    Dataset = saved.Dataset.Name,
                    Split = splitName,
                    Samples = samples.Count,
                    Seconds = watch.Elapsed.TotalSeconds,
                    Metrics = metrics.ToDictionary(),
                });
                return CliApp.Ok;
            }
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{saved.Config.Model.DisplayName} on {saved.Dataset.Name}, {splitName} split: {samples.Count:N0} samples evaluated in {watch.Elapsed.TotalSeconds:F3} s"));
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn(splitName).RightAligned());
            foreach (var (key, value) in metrics) table.AddRow(key, value.ToString("F4", CultureInfo.InvariantCulture));
            console.Write(table);
            return CliApp.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Spectre.Console;
using SeqRec.Cli.Display;
using SeqRec.Configuration;
using SeqRec.Runs;

namespace SeqRec.Cli.Commands;

/// <summary><c>seqrec run</c>: train with early stopping, test the best checkpoint, write the run directory.</summary>
internal static class RunCommand
{
    public static Command Create(ModelHost host)
    {
        var options = new CommonOptions.ConfigOptions(host);
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run from its last completed epoch (a runs/... folder)." };
        var runsRoot = new Option<string>("--runs-root") { Description = "Folder for run directories.", DefaultValueFactory = _ => "runs" };
        var acceptChangedData = new Option<bool>("--accept-changed-data") { Description = "With --resume: continue even though the dataset changed since the run started (refused otherwise)." };
        var command = new Command("run", "Train and evaluate a model (like RecBole's run_recbole): runs/<model>-<dataset>-<time>/ gets the config, log, results.json, best checkpoint and TensorBoard events.");
        options.AddTo(command);
        command.Options.Add(resume);
        command.Options.Add(runsRoot);
        command.Options.Add(acceptChangedData);
        command.SetAction((parse, cancellation) =>
        {
            using var interruption = ChildLifetime.Linked(cancellation);
            var console = ConsoleFor.Output(parse);
            var verbose = parse.GetValue(CommonOptions.Verbose);
            if (verbose) console.WriteLine(AllocatorRelauncher.Describe());
            var resumed = parse.GetValue(resume);
            if (resumed is null && parse.GetValue(acceptChangedData))
                throw new SeqRecException("--accept-changed-data applies to --resume only");
            if (resumed is not null && options.AnyGiven(parse))
                throw new SeqRecException("--resume continues a run with the configuration saved in its folder; --model, --dataset, --config and overrides cannot be combined with it");
            var request = resumed is null ? options.Request(parse) : new ConfigRequest { Files = [RunDirectory.Open(resumed).ConfigPath] };
            var config = ConfigResolver.Resolve(request, host.Registry);
            if (resumed is null)
                foreach (var warning in config.Warnings) parse.InvocationConfiguration.Error.WriteLine(warning);
            var runOptions = new RunOptions
            {
                RunsRoot = parse.GetValue(runsRoot)!,
                AcceptChangedData = parse.GetValue(acceptChangedData),
                Observer = new ConsoleTrainingObserver(console, ConsoleFor.IsInteractive(parse) && config.Trainer.ShowProgress),
                Progress = parse.InvocationConfiguration.Output,
                Cancellation = interruption.Token,
                Models = host.Registry,
            };
            RunOutcome outcome;
            try
            {
                outcome = resumed is null ? SeqRecRun.Run(request, runOptions) : SeqRecRun.Resume(resumed, runOptions);
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine("interrupted; the run can continue from its last completed epoch (the command is printed above)");
                return Task.FromResult(130);
            }
            console.WriteLine($"run directory: {outcome.RunDirectory}");
            return Task.FromResult(CliApp.Ok);
        });
        return command;
    }
}

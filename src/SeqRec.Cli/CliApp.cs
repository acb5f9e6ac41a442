using System.CommandLine;
using SeqRec.Cli.Commands;
using SeqRec.Cli.Runs;

namespace SeqRec.Cli;

/// <summary>The <c>seqrec</c> command line: builds the command tree and runs it with SeqRec's exit codes.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    /// <summary>The environment failed (a full disk, a missing folder, a permission): not the input, not seqrec.</summary>
    public const int EnvironmentError = 3;
    /// <summary>Training diverged (NaN loss or scores): the input was valid, the optimisation failed.</summary>
    public const int Diverged = 4;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var host = new ModelHost();
        var root = BuildRoot(host);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        // Commands that resolve a configuration leave tokens unmatched so RecBole-style --key=value settings reach them.
        var unmatched = parse.UnmatchedTokens.Where(t => CommonOptions.RecBoleStyleSet(t) is null).ToList();
        // The parser reports the tokens it could not place too, in its own words: each is reported once, here.
        var problems = parse.Errors.Select(e => e.Message).Where(m => !unmatched.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal)))
            .Concat(unmatched.Select(t => Unrecognized(t, parse.CommandResult.Command))).Distinct().ToList();
        if (problems.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var problem in problems) error.WriteLine($"error: {problem}");
            error.WriteLine("Run 'seqrec --help' for usage.");
            return UsageError;
        }
        try
        {
            if (parse.Action is not System.CommandLine.Help.HelpAction) host.Load(parse);
            return parse.Invoke(configuration);
        }
        catch (SeqRecException e)
        {
            foreach (var line in e.Message.Split('\n')) error.WriteLine(line.StartsWith("warning:", StringComparison.Ordinal) ? line : $"error: {line}");
            return e is Training.TrainingDivergedException ? Diverged : UsageError;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled");
            return 130;
        }
        catch (EndOfStreamException e)
        {
            error.WriteLine($"error: a file ended before its content did ({e.Message})");
            return UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // IOException's own message names the path: "No space left on device : '/runs/x/resume.state'".
            error.WriteLine($"error: {e.Message}");
            return EnvironmentError;
        }
        catch (Exception e) when (!parse.GetValue(CommonOptions.Verbose))
        {
            // A bug rather than bad input: say so in one line; --verbose lets the exception through with its trace.
            error.WriteLine($"error: unexpected failure ({e.GetType().Name}): {e.Message}");
            error.WriteLine("This is a bug in seqrec; run again with --verbose for the stack trace and report it.");
            return Failure;
        }
    }

    /// <summary>The command tree; every command reads its models from <paramref name="host"/>, loaded before it runs.</summary>
    internal static RootCommand BuildRoot(ModelHost host)
    {
        var root = new RootCommand("SeqRec: a zoo of sequential recommenders on TorchSharp, RecBole-compatible; models from other assemblies load with --plugin.");
        root.Options.Add(CommonOptions.Verbose);
        root.Options.Add(ModelHost.PluginOption);
        root.Subcommands.Add(ModelsCommand.Create(host));
        root.Subcommands.Add(DescribeCommand.Create(host));
        root.Subcommands.Add(ConfigCommand.Create(host));
        root.Subcommands.Add(RunCommand.Create(host));
        root.Subcommands.Add(EvaluateCommand.Create(host));
        root.Subcommands.Add(RecommendCommand.Create(host));
        root.Subcommands.Add(ImportCommand.Create(host));
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(TuneCommand.Create(host, context => new TrainingTrialRunner(context, host.Registry)));
        root.Subcommands.Add(CompareCommand.Create(host));
        root.Subcommands.Add(BenchCommand.Create(host));
        root.Subcommands.Add(ParityCommand.Create(host));
        return root;
    }
    /// <summary>"unrecognized argument '--epoch'; did you mean '--epochs'?" for a token no option of the command took.</summary>
    private static string Unrecognized(string token, Command command)
    {
        var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).ToList();
        var nearest = token.StartsWith("--", StringComparison.Ordinal) ? Configuration.Suggestions.Nearest(token.Split('=')[0], options) : null;
        return nearest is null ? $"unrecognized argument '{token}'" : $"unrecognized argument '{token}'; did you mean '{nearest}'?";
    }
}

using System.CommandLine;
using Spectre.Console;

namespace SeqRec.Cli.Commands;

/// <summary>A Spectre console over the invocation's output writer, so commands print the same in tests.</summary>
internal static class ConsoleFor
{
    /// <summary>Output goes to a terminal (not a file, pipe or test writer).</summary>
    public static bool IsInteractive(ParseResult parse) =>
        ReferenceEquals(parse.InvocationConfiguration.Output, Console.Out) && !Console.IsOutputRedirected;

    public static IAnsiConsole Output(ParseResult parse)
    {
        var writer = parse.InvocationConfiguration.Output;
        var interactive = IsInteractive(parse);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output (files, tests, CI logs) has no terminal width; don't wrap tables at 80 columns.
        if (!interactive) console.Profile.Width = 160;
        return console;
    }
}

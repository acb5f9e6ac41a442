using SeqRec.Cli;

namespace SeqRec.Tests.Cli;

/// <summary>Runs the CLI in-process, as <c>seqrec</c> would run, capturing its output, its errors and its exit code.</summary>
internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

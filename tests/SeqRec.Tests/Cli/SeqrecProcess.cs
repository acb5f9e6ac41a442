using System.Diagnostics;

namespace SeqRec.Tests.Cli;

/// <summary>The CLI in a process of its own (output redirected), for what only a real process shows: relaunch, signals, exit codes.</summary>
internal static class SeqrecProcess
{
    /// <param name="relaunched">As from a shell: seqrec re-executes itself for its allocator setting (the test host's settings would stop it).</param>
    /// <param name="interruptIgnored">As under nohup or as a script's background job: SIGINT and SIGQUIT ignored from the start.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, bool relaunched, bool interruptIgnored = false)
    {
        var start = new ProcessStartInfo(interruptIgnored ? "/bin/sh" : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (interruptIgnored)
        {
            // The ignored dispositions survive exec, which also keeps the process id.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("trap '' INT QUIT; exec dotnet \"$@\"");
            start.ArgumentList.Add("sh");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "seqrec.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (relaunched)
        {
            start.Environment.Remove("SEQREC_NO_RELAUNCH");
            start.Environment.Remove("GLIBC_TUNABLES");
        }
        return start;
    }
}

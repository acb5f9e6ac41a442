using System.Diagnostics;

namespace SeqRec.Cli;

/// <summary>Starts this same seqrec program in a child process (the apphost, or <c>dotnet seqrec.dll</c>).</summary>
internal static class SelfInvocation
{
    public static ProcessStartInfo StartInfo()
    {
        var host = Environment.ProcessPath ?? throw new SeqRecException("cannot locate the seqrec executable");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        var assembly = typeof(SelfInvocation).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(host) != "seqrec") start.ArgumentList.Add(assembly);
        if (Path.GetFileNameWithoutExtension(host) is not ("dotnet" or "seqrec"))
        {
            // Inside a test host: run the built seqrec.dll with the dotnet host.
            start.FileName = "dotnet";
        }
        return start;
    }
}

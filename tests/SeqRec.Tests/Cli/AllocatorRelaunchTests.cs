using System.Diagnostics;
using Xunit;

namespace SeqRec.Tests.Cli;

/// <summary>The CLI re-executes itself once with the allocator setting, says so with --verbose, and keeps the exit code.</summary>
public class AllocatorRelaunchTests
{
    [Fact]
    public async Task A_torch_command_relaunches_with_huge_pages_and_reports_it()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "seqrec.dll"));
        foreach (var arg in new[] { "run", "--verbose", "--model", "no-such-model" }) start.ArgumentList.Add(arg);
        start.Environment.Remove("GLIBC_TUNABLES");
        start.Environment.Remove("SEQREC_NO_RELAUNCH");
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, child.ExitCode); // the relaunched child's exit code: an unknown model is a usage error
        Assert.Contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1", await output, StringComparison.Ordinal);
        Assert.Contains("set by re-executing seqrec once", await output, StringComparison.Ordinal);
        Assert.Contains("unknown model 'no-such-model'", await error, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using Xunit;

namespace SeqRec.Tests.Cli;

/// <summary>The CLI re-executes itself once with the allocator setting, says so with --verbose, and keeps the exit code.</summary>
public class AllocatorRelaunchTests
{
    [Fact]
    public async Task A_torch_command_relaunches_with_huge_pages_and_reports_it()
    {
        using var child = Process.Start(SeqrecProcess.StartInfo(["run", "--verbose", "--model", "no-such-model"], relaunched: true))!;
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

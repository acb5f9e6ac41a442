using SeqRec.Benchmarks;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.Cli;

/// <summary>A fault of the environment (here: an output folder that is a file) is one line naming the path, exit 3; never "a bug".</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class EnvironmentFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_runs_root_that_is_a_file_is_an_environment_error_naming_it()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 20, items: 15, interactionsPerUser: 8, seed: 3);
        var blocker = _folder.File("runs", "not a folder");

        var (code, _, error) = Run("run", "--model", "sasrec", "--dataset", "tiny", "--set", $"data.data_path=\"{data}\"",
            "--set", "trainer.epochs=1", "--set", "sasrec.hidden_size=8", "--set", "sasrec.inner_size=16", "--runs-root", Path.Combine(blocker, "inner"));

        Assert.Equal(3, code);
        Assert.Contains(blocker, error, StringComparison.Ordinal);
        Assert.DoesNotContain("bug", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}

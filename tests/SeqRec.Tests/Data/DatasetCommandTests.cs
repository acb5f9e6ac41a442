using System.CommandLine;
using SeqRec.Data;
using Xunit;

namespace SeqRec.Tests.Data;

/// <summary>Runs the CLI's <c>DatasetCommand</c> through System.CommandLine, as <c>seqrec dataset</c> will.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DatasetCommandTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var command = SeqRec.Cli.Commands.DatasetCommand.Create();
        var original = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var exitCode = command.Parse(args).InvokeAsync().GetAwaiter().GetResult();
            return (exitCode, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public void Stats_json_prints_the_ml_100k_counts()
    {
        var (exitCode, output) = Run("stats", "ml-100k", "--json", "--data-path", TestPaths.DataPath);
        Assert.Equal(0, exitCode);
        Assert.Equal(new DatasetStatistics("ml-100k", 944, 1683, 100_000, 97_171, 943, 943), DatasetStatistics.FromJson(output));
    }

    [Fact]
    public void Import_then_stats_on_the_imported_dataset()
    {
        var csv = Path.Combine(_folder.Root, "log.csv");
        File.WriteAllText(csv, "user\titem\twhen\nu1\ta\t1\nu1\tb\t2\nu1\tc\t3\n");
        var (importCode, importOutput) = Run("import", "--csv", csv, "--user", "user", "--item", "item", "--time", "when",
            "--name", "log", "--out", _folder.Root, "--delimiter", "\\t");
        Assert.Equal(0, importCode);
        Assert.Contains("log.inter (3 interactions)", importOutput);

        var (statsCode, statsOutput) = Run("stats", "log", "--json", "--data-path", _folder.Root);
        Assert.Equal(0, statsCode);
        Assert.Equal(new DatasetStatistics("log", 2, 4, 3, 1, 0, 1), DatasetStatistics.FromJson(statsOutput));
    }

    [Fact]
    public void Import_requires_its_options()
    {
        var (exitCode, _) = Run("import", "--csv", "x.csv");
        Assert.NotEqual(0, exitCode);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console output";

    [Theory]
    [InlineData("https://example.org/ml-100k.zip", true)]
    [InlineData("http://127.0.0.1:8080/ml-100k.zip", true)]
    [InlineData("http://localhost/ml-100k.zip", true)]
    [InlineData("http://example.org/ml-100k.zip", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://example.org/ml-100k.zip", false)]
    [InlineData("ml-100k.zip", false)]
    public void A_download_address_is_https_or_this_machine(string address, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal(new Uri(address), SeqRec.Cli.Commands.DatasetCommand.DownloadAddress(address));
            return;
        }
        var error = Assert.Throws<SeqRecException>(() => SeqRec.Cli.Commands.DatasetCommand.DownloadAddress(address));
        Assert.StartsWith($"--url '{address}'", error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.Cli;

/// <summary><c>seqrec parity</c> over a folder: its summary line counts each outcome and names unregistered models.</summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class ParityCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_folder_of_fixtures_is_summarised_and_only_unregistered_models_are_named()
    {
        var fixture = Path.Combine(TestPaths.ZooParityDir, "stamp-defaults.json");
        File.Copy(fixture, Path.Combine(_folder.Path, "stamp.json"));

        var (code, text, error) = Run(["parity", _folder.Path]);
        Assert.True(code == 0, text + error);
        Assert.Contains("1 passed, 0 failed, 0 not registered here\n", text.ReplaceLineEndings("\n"));

        var other = JsonNode.Parse(File.ReadAllText(fixture))!.AsObject();
        other["model"] = "NoSuchRec";
        File.WriteAllText(Path.Combine(_folder.Path, "unknown.json"), other.ToJsonString());
        (code, text, error) = Run(["parity", _folder.Path]);
        Assert.True(code == 0, text + error);
        Assert.Contains("1 passed, 0 failed, 1 not registered here (models: NoSuchRec)", text);
    }
}

using System.Reflection;
using System.Text.Json;
using SeqRec.Benchmarks;
using SeqRec.Cli;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Tests.Models;
using SeqRec.Tests.Training;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.Cli;

/// <summary>
/// A model from another assembly (tests/SeqRec.ThirdPartyModel, built but never referenced) loaded with --plugin:
/// listed, described, trained, evaluated; its checkpoint names the plugin it needs; duplicate ids are refused.
/// </summary>
[Collection(TorchGlobalRandomCollection.Name)]
public sealed class PluginTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The plugin built in the test assembly's configuration (Debug or Release).</summary>
    private static string PluginPath
    {
        get
        {
            var configuration = typeof(PluginTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var path = Path.Combine(TestPaths.RepoRoot, "tests", "SeqRec.ThirdPartyModel", "bin", configuration, "net10.0", "SeqRec.ThirdPartyModel.dll");
            Assert.True(File.Exists(path), $"the plugin is built before the tests: {path}");
            return path;
        }
    }


    [Fact]
    public void Models_and_describe_see_a_plugin_model_beside_the_built_in_ones()
    {
        var (code, output, error) = Run("--plugin", PluginPath, "models");
        Assert.True(code == 0, error);
        Assert.Contains("toymean", output, StringComparison.Ordinal);
        Assert.Contains("SeqRec.ThirdPartyModel", output, StringComparison.Ordinal);
        Assert.Contains("lightsans", output, StringComparison.Ordinal);

        (code, output, error) = Run("describe", "toymean", "--plugin", PluginPath);
        Assert.True(code == 0, error);
        Assert.Contains("embedding_size", output, StringComparison.Ordinal);

        (code, output, _) = Run("models");
        Assert.Equal(0, code);
        Assert.DoesNotContain("toymean", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_model_trains_and_its_checkpoint_says_which_plugin_it_needs()
    {
        var data = Path.Combine(_folder.Path, "data");
        SyntheticDataset.Write(data, "tiny", users: 30, items: 25, interactionsPerUser: 10, seed: 4);
        var runs = Path.Combine(_folder.Path, "runs");

        var (code, _, error) = Run("--plugin", PluginPath, "run", "--model", "toymean", "--dataset", "tiny", "--runs-root", runs,
            "--set", $"data.data_path=\"{data}\"", "--set", "trainer.epochs=2", "--set", "data.max_item_list_length=6");

        Assert.True(code == 0, error);
        var run = Directory.GetDirectories(runs).Single();
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        Assert.True(results.RootElement.GetProperty("test").GetProperty("ndcg@10").GetDouble() >= 0);
        var checkpoint = Path.Combine(run, "best.ckpt");
        (code, _, error) = Run("--plugin", PluginPath, "evaluate", "--checkpoint", checkpoint);
        Assert.True(code == 0, error);

        (code, _, error) = Run("evaluate", "--checkpoint", checkpoint);
        Assert.Equal(2, code);
        Assert.Contains("model 'toymean' is not registered here; it comes from SeqRec.ThirdPartyModel", error, StringComparison.Ordinal);
        Assert.Contains("--plugin", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_foreign_plugin_file_is_one_clear_error()
    {
        var (code, output, error) = Run("--plugin", Path.Combine(_folder.Path, "nope.dll"), "models");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nope.dll: file not found", error, StringComparison.Ordinal);

        var text = _folder.File("not-an-assembly.dll", "hello");
        (code, _, error) = Run("--plugin", text, "models");
        Assert.Equal(2, code);
        Assert.Contains("not-an-assembly.dll: not a .NET assembly", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_id_registered_by_two_assemblies_is_refused_naming_both()
    {
        var duplicate = new ModelInfo("sasrec", "Impostor", "", typeof(MeanPoolModel), SeqRec.Models.SasRecConfig.Info,
            (_, context) => new MeanPoolModel(context.NItems, context.MaxSeqLength));

        var error = Assert.Throws<SeqRecException>(() => ModelRegistry.Combine(SeqRecModels.All, [duplicate]));

        Assert.Contains("model id 'sasrec' is registered twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("SeqRec.Models.SasRec in SeqRec.Models", error.Message, StringComparison.Ordinal);
        Assert.Contains("MeanPoolModel in SeqRec.Tests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plugin_catalog_is_found_through_its_assembly_attribute()
    {
        Assert.Equal(SeqRecModels.All, ModelRegistry.CatalogOf(typeof(SeqRecModels).Assembly));
        Assert.Contains(SeqRecModels.All, m => m.ModelType == typeof(SasRec));
        Assert.Empty(ModelRegistry.CatalogOf(typeof(ModelRegistry).Assembly));
    }
}

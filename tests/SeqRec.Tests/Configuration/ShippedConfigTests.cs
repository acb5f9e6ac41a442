using SeqRec.Configuration;
using Xunit;

namespace SeqRec.Tests.Configuration;

/// <summary>Every config shipped in configs/ resolves without errors; the RecBole YAML example means what its TOML twin means.</summary>
public class ShippedConfigTests
{
    public static TheoryData<string> Files => [.. Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "configs"), "*.toml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Shipped_config_resolves(string file)
    {
        var config = ConfigAssert.Resolve(new ConfigRequest { Files = [Path.Combine(TestPaths.RepoRoot, "configs", file)] });
        Assert.Contains(config.Model.Id, file, StringComparison.Ordinal);
    }

    [Fact]
    public void The_recbole_yaml_example_resolves_to_the_same_configuration_as_its_toml_twin()
    {
        var yaml = ConfigAssert.Resolve(new ConfigRequest { Model = "lightsans", Files = [Path.Combine(TestPaths.RepoRoot, "configs", "recbole", "lightsans-ml100k.yaml")] });
        var toml = ConfigAssert.Resolve(new ConfigRequest { Files = [Path.Combine(TestPaths.RepoRoot, "configs", "lightsans-ml100k.toml")] });

        Assert.Equal(TomlConfigWriter.Write(toml), TomlConfigWriter.Write(yaml));
        Assert.Equal(["gpu_id", "load_col", "reproducibility", "state", "use_gpu"], yaml.Warnings.Select(w => w.Path).Order());
    }
}

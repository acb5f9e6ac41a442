using SeqRec.Configuration;
using Xunit;

namespace SeqRec.Tests.Configuration;

/// <summary>Every TOML file shipped in configs/ resolves without errors.</summary>
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
}

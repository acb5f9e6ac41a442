using System.Diagnostics;
using SeqRec.Configuration;
using Xunit;
using static SeqRec.Tests.Configuration.ConfigAssert;

namespace SeqRec.Tests.Configuration;

/// <summary>Small files that would take all memory, and unreadable ones, are config errors with the file and line.</summary>
public class HostileConfigTests
{
    [Fact]
    public void Nested_yaml_aliases_are_refused_at_once_instead_of_expanded()
    {
        using var dir = new TempFolder();
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 9; i++) lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]"); // 10^10 leaves expanded
        var file = dir.File("laughs.yaml", string.Join('\n', lines) + "\n");

        var clock = Stopwatch.StartNew();
        var errors = Fails(new() { Model = "lightsans", Files = [file] });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains(errors, e => e.StartsWith($"{file}:2: YAML aliases are not supported in config files (*a0", StringComparison.Ordinal));
    }

    [Fact]
    public void Deep_nesting_is_refused_with_its_line()
    {
        using var dir = new TempFolder();
        var file = dir.File("deep.yaml", "topk: " + new string('[', 200) + new string(']', 200) + "\n");
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [file] }));
        Assert.Contains($"nested more than {YamlConfigReader.MaxDepth} levels deep", error, StringComparison.Ordinal);
        Assert.StartsWith($"{file}:1: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_file_larger_than_any_config_is_refused_before_it_is_read()
    {
        using var dir = new TempFolder();
        var file = Path.Combine(dir.Path, "huge.toml");
        using (var stream = File.Create(file)) stream.SetLength(ConfigFileReader.MaxBytes + 1);
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [file] }));
        Assert.Contains("a config file may hold at most", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_path_that_is_a_folder_is_a_config_error()
    {
        using var dir = new TempFolder();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "a.toml")).FullName;
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [folder] }));
        Assert.StartsWith(folder, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Toml_nested_beyond_the_parsers_depth_is_a_config_error_naming_the_file()
    {
        using var dir = new TempFolder();
        var file = dir.File("deep.toml", "[trainer]\nepochs = " + new string('[', 500) + new string(']', 500) + "\n");
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [file] }));
        Assert.StartsWith($"{file}: malformed TOML: The maximum depth", error, StringComparison.Ordinal);
    }
}

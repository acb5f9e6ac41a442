using Xunit;
using static SeqRec.Tests.Configuration.ConfigAssert;

namespace SeqRec.Tests.Configuration;

/// <summary>
/// NaN compares false with every bound, so a [Min, Max] check alone lets it through: every config layer refuses
/// non-finite numbers (NaN, infinities, literals that overflow) at bind time, naming the key and the place.
/// </summary>
public class FiniteNumberTests
{
    [Theory]
    [InlineData("nan", "expected a finite number, got NaN")]
    [InlineData("inf", "expected a finite number, got infinity")]
    [InlineData("-inf", "expected a finite number, got -infinity")]
    [InlineData("1e400", "expected a finite number, got infinity (a literal beyond")]
    public void The_command_line_refuses_non_finite_numbers(string value, string expected)
    {
        var error = Assert.Single(FailsWithSets($"lightsans.hidden_dropout_prob={value}"));
        Assert.Contains("lightsans.hidden_dropout_prob", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nan", "NaN")]
    [InlineData("+inf", "infinity")]
    public void A_toml_file_refuses_them_with_its_line(string value, string shown)
    {
        using var dir = new TempFolder();
        var file = dir.File("bad.toml", $"[trainer]\nepochs = 3\nlearning_rate = {value}\n");
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [file] }));
        Assert.StartsWith($"{file}:3: trainer.learning_rate: expected a finite number, got {shown}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".nan", "NaN")]
    [InlineData("-.inf", "-infinity")]
    [InlineData("1.0e+400", null)]
    public void A_recbole_yaml_file_refuses_them_too(string value, string? shown)
    {
        using var dir = new TempFolder();
        var file = dir.File("bad.yaml", $"model: LightSANs\nlearning_rate: {value}\n");
        var error = Assert.Single(Fails(new() { Model = "lightsans", Files = [file] }));
        Assert.StartsWith($"{file}:2: trainer.learning_rate: ", error, StringComparison.Ordinal);
        Assert.Contains($"got {shown ?? "infinity"}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Finite_values_at_the_bounds_still_bind()
    {
        var config = Resolve(new() { Model = "lightsans", Sets = ["lightsans.hidden_dropout_prob=1e-300", "trainer.learning_rate=1e300"] });
        Assert.Equal(1e300, config.Trainer.LearningRate);
    }
}

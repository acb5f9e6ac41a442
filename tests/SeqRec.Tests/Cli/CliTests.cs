using SeqRec.Cli;
using Xunit;
using static SeqRec.Tests.Cli.CliRun;

namespace SeqRec.Tests.Cli;

/// <summary>The CLI in-process: output, one-line errors and exit codes.</summary>
public class CliTests
{

    [Fact]
    public void Models_lists_both_models_with_their_display_names()
    {
        var (code, output, _) = Run("models");
        Assert.Equal(0, code);
        Assert.Contains("LightSANs", output, StringComparison.Ordinal);
        Assert.Contains("SASRec", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_lists_the_parameters_with_defaults_and_allowed_values()
    {
        var (code, output, _) = Run("describe", "lightsans");
        Assert.Equal(0, code);
        foreach (var key in new[] { "num_layers", "n_heads", "k_interests", "hidden_size", "inner_size", "hidden_dropout_prob", "attn_dropout_prob", "hidden_act", "layer_norm_eps", "initializer_range", "loss_type" })
            Assert.Contains(key, output, StringComparison.Ordinal);
        Assert.Contains("gelu, relu, swish, tanh, sigmoid", output, StringComparison.Ordinal);
        Assert.Contains("1e-12", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_and_describe_print_json_on_request()
    {
        var (code, output, error) = Run("models", "--json");
        Assert.True(code == 0, error);
        var models = System.Text.Json.JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Contains(models, m => m.GetProperty("id").GetString() == "sasrec" && m.GetProperty("display_name").GetString() == "SASRec");

        (code, output, error) = Run("describe", "shan", "--json");
        Assert.True(code == 0, error);
        var shan = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Contains("right-padded", shan.GetProperty("remarks").GetString(), StringComparison.Ordinal);
        var shortLength = shan.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "short_item_length");
        Assert.Equal(2, shortLength.GetProperty("default").GetInt32());
        Assert.Equal(1, shortLength.GetProperty("min").GetDouble());
    }

    [Fact]
    public void Describe_prints_the_remarks_of_a_model_that_reproduces_a_reference_quirk()
    {
        var (code, output, _) = Run("describe", "shan");
        Assert.Equal(0, code);
        Assert.Contains("remarks", output, StringComparison.Ordinal);
        Assert.Contains("right-padded", output, StringComparison.Ordinal);
        Assert.DoesNotContain("remarks", Run("describe", "sasrec").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lightsans.k_interests=0", "lightsans.k_interests: 0 is below the minimum 1")]
    [InlineData("lightsans.k_interest=3", "did you mean 'k_interests'?")]
    [InlineData("lightsans.hidden_act=mish", "'mish' is not one of gelu, relu, swish, tanh, sigmoid")]
    public void Config_errors_exit_2_with_one_line(string set, string expected)
    {
        var (code, output, error) = Run("config", "--model", "lightsans", "--set", set);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_prints_the_resolved_toml()
    {
        var (code, output, _) = Run("config", "--model", "lightsans", "--set", "lightsans.k_interests=10");
        Assert.Equal(0, code);
        Assert.Contains("model = \"lightsans\"", output, StringComparison.Ordinal);
        Assert.Contains("[lightsans]\nnum_layers = 2\nn_heads = 2\nk_interests = 10\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_of_an_unknown_model_exits_2_with_a_suggestion()
    {
        var (code, _, error) = Run("describe", "sasrek");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'sasrec'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recbole_command_line_works_as_written()
    {
        using var dir = new TempFolder();
        var first = dir.File("a.yaml", "n_layers: 3\nlearning_rate: 0.01\n");
        var second = dir.File("b.yaml", "learning_rate: 0.005\n");

        var (code, output, error) = Run("config", "--model=LightSANs", "--dataset=ml-1m", $"--config_files={first} {second}",
            "--MAX_ITEM_LIST_LENGTH=200", "--k_interests=20", "--gpu_id=0", "--mask_history=True");

        Assert.True(code == 0, error);
        Assert.Contains("model = \"lightsans\"", output, StringComparison.Ordinal);
        Assert.Contains("dataset = \"ml-1m\"", output, StringComparison.Ordinal);
        Assert.Contains("max_item_list_length = 200\n", output, StringComparison.Ordinal);
        Assert.Contains("mask_history = true\n", output, StringComparison.Ordinal);      // Python's True
        Assert.Contains("learning_rate = 0.005\n", output, StringComparison.Ordinal); // the second file wins
        Assert.Contains("[lightsans]\nnum_layers = 3\nn_heads = 2\nk_interests = 20\n", output, StringComparison.Ordinal);
        Assert.Contains("warning: --set: gpu_id: RecBole's environment setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_reported_once_with_the_nearest_option()
    {
        var (code, _, error) = Run("dataset", "stats", "ml-100k", "--data-pth", "somewhere");
        Assert.Equal(2, code);
        Assert.Single(error.Split('\n'), line => line.Contains("'--data-pth'", StringComparison.Ordinal));
        Assert.Contains("error: unrecognized argument '--data-pth'; did you mean '--data-path'?", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--modle", "unrecognized argument '--modle'")]
    [InlineData("--k_interests", "unrecognized argument '--k_interests'")]
    public void An_argument_that_is_neither_an_option_nor_a_recbole_setting_is_a_usage_error(string argument, string expected)
    {
        var (code, _, error) = Run("config", "--model", "lightsans", argument, "5");
        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--set", "trainer.epochs=400")]
    [InlineData("--epochs=400", null)]
    [InlineData("--model", "sasrec")]
    public void Resume_refuses_settings_it_would_not_apply(string option, string? value)
    {
        string[] args = value is null ? ["run", "--resume", "runs/some-run", option] : ["run", "--resume", "runs/some-run", option, value];

        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains("error: --resume continues a run with the configuration saved in its folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error()
    {
        var (code, _, error) = Run("config", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", error, StringComparison.Ordinal);
    }
}

using System.Globalization;
using SeqRec.Configuration;
using SeqRec.Models;
using Xunit;
using static SeqRec.Tests.Configuration.ConfigAssert;

namespace SeqRec.Tests.Configuration;

/// <summary>defaults &lt; files in order &lt; in-code dictionary &lt; --set; tables merge key by key; sources are named.</summary>
public class LayeringTests
{
    [Fact]
    public void Later_layers_win_and_tables_merge_key_by_key()
    {
        using var dir = new TempFolder();
        var first = dir.File("first.toml", "[lightsans]\nk_interests = 7\nn_heads = 4\n[trainer]\nepochs = 3\nlearning_rate = 0.01\n");
        var second = dir.File("second.toml", "[lightsans]\nk_interests = 8\n[trainer]\nepochs = 4\n");
        var config = Resolve(new ConfigRequest
        {
            Model = "lightsans",
            Files = [first, second],
            Values = new Dictionary<string, object?> { ["trainer.epochs"] = 5, ["trainer.seed"] = 11 },
            Sets = ["trainer.seed=12"],
        });
        var lightsans = config.ModelSection<LightSansConfig>();
        Assert.Equal(8, lightsans.KInterests);      // second file over first
        Assert.Equal(4, lightsans.NHeads);          // kept from the first file: tables merge
        Assert.Equal(2, lightsans.NumLayers);       // generated default
        Assert.Equal(5, config.Trainer.Epochs);     // dictionary over files
        Assert.Equal(0.01, config.Trainer.LearningRate);
        Assert.Equal(12, config.Trainer.Seed);      // --set over dictionary
    }

    [Fact]
    public void File_errors_carry_file_and_line()
    {
        using var dir = new TempFolder();
        var file = dir.File("my.toml", "[trainer]\nepochs = 3\n[lightsans]\nk_interests = 0\n");
        Assert.Equal([$"{file}:4: lightsans.k_interests: 0 is below the minimum 1"], Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));
    }

    [Fact]
    public void Malformed_toml_names_line_and_column()
    {
        using var dir = new TempFolder();
        var file = dir.File("bad.toml", "[trainer]\nepochs = = 3\n");
        var error = Assert.Single(Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));
        Assert.StartsWith($"{file}:2: column 10: malformed TOML", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_defined_twice_in_one_file_is_an_error()
    {
        using var dir = new TempFolder();
        var file = dir.File("twice.toml", "[trainer]\nepochs = 3\nepochs = 4\n");
        var error = Assert.Single(Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));
        Assert.StartsWith($"{file}:3: column 1: malformed TOML: The key `trainer.epochs` is already defined", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error() =>
        Assert.Equal(["/no/such/file.toml: config file not found"], Fails(new ConfigRequest { Model = "lightsans", Files = ["/no/such/file.toml"] }));

    [Fact]
    public void An_unknown_section_suggests_the_nearest()
    {
        using var dir = new TempFolder();
        var file = dir.File("s.toml", "[trainr]\nepochs = 3\n");
        Assert.Equal([$"{file}:1: trainr: unknown section; did you mean 'trainer'?"], Fails(new ConfigRequest { Model = "lightsans", Files = [file] }));
    }

    [Fact]
    public void Flat_recbole_keys_reach_their_sections()
    {
        using var dir = new TempFolder();
        var file = dir.File("recbole.toml", "model = \"sasrec\"\nlearning_rate = 0.003\nn_layers = 3\nMAX = 1\n".Replace("MAX = 1\n", "", StringComparison.Ordinal));
        var config = Resolve(new ConfigRequest { Files = [file] });
        Assert.Equal("sasrec", config.Model.Id);
        Assert.Equal(0.003, config.Trainer.LearningRate);
        Assert.Equal(3, config.ModelSection<SasRecConfig>().NumLayers);
    }

    [Fact]
    public void An_unknown_flat_key_suggests_a_qualified_key() =>
        Assert.Equal(["--set: learning_rat: unknown key; did you mean 'trainer.learning_rate'?"], FailsWithSets("learning_rat=0.1"));

    [Fact]
    public void Numbers_parse_with_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var config = Resolve(new ConfigRequest { Model = "lightsans", Sets = ["trainer.learning_rate=0.5"] });
            Assert.Equal(0.5, config.Trainer.LearningRate);
            Assert.Contains("learning_rate = 0.5\n", TomlConfigWriter.Write(config), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void The_resolved_toml_reads_back_to_the_same_configuration()
    {
        using var dir = new TempFolder();
        var original = Resolve(new ConfigRequest
        {
            Model = "lightsans",
            Sets = ["trainer.clip_grad_norm=5", "eval.topk=[5,10,20]", "lightsans.hidden_act=swish", "lightsans.layer_norm_eps=1e-12", "data.dataset=\"my \\\"data\\\"\""],
        });
        var text = TomlConfigWriter.Write(original);
        var reread = Resolve(new ConfigRequest { Files = [dir.File("resolved.toml", text)] });
        Assert.Equal(text, TomlConfigWriter.Write(reread));
        Assert.Equal(5.0, reread.Trainer.ClipGradNorm);
        Assert.Equal("my \"data\"", reread.Data.Dataset);
    }

    [Fact]
    public void The_dataset_shortcut_sets_data_dataset() =>
        Assert.Equal("ml-1m", Resolve(new ConfigRequest { Model = "lightsans", Dataset = "ml-1m" }).Data.Dataset);

    [Fact]
    public void The_same_section_binds_directly_without_the_resolver()
    {
        var errors = new ConfigErrors();
        var table = TomlConfigReader.Read("k_interests = 3\nnum_layers = 0\n", "inline", errors)!;
        var config = LightSansConfig.Bind(table, errors);
        Assert.Equal(3, config.KInterests);
        Assert.Equal(["inline:2: lightsans.num_layers: 0 is below the minimum 1"], errors.Errors.Select(e => e.ToString()));
    }
}

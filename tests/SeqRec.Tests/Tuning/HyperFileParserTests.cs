using SeqRec.Tests.Models;
using SeqRec.Tuning.Space;
using Xunit;
using static SeqRec.Tests.Tuning.TuningFixtures;

namespace SeqRec.Tests.Tuning;

/// <summary>RecBole's params-file syntax: every distribution, typed values, and every error with its file and line.</summary>
public class HyperFileParserTests
{
    [Fact]
    public void Choice_keeps_integers_as_integers_and_reals_as_reals()
    {
        var space = Parse("learning_rate choice [0.01,0.005,1]\nnum_layers choice [1, 2,3]\n");
        var lr = Assert.IsType<ChoiceDomain>(space.Domains[0]);
        Assert.Equal("trainer.learning_rate", lr.Path);
        Assert.Equal(ValueKind.Real, lr.Kind);
        Assert.Equal(new object[] { 0.01, 0.005, 1.0 }, lr.Values);
        var layers = Assert.IsType<ChoiceDomain>(space.Domains[1]);
        Assert.Equal("lightsans.num_layers", layers.Path);
        Assert.Equal(new object[] { 1L, 2L, 3L }, layers.Values);
    }

    [Fact]
    public void Choice_of_enum_strings_and_booleans()
    {
        var space = Parse("hidden_act choice ['gelu', \"RELU\", swish]\neval.mask_history choice [True, false]\n");
        Assert.Equal(new object[] { "gelu", "relu", "swish" }, ((ChoiceDomain)space.Domains[0]).Values); // enum spelling normalised
        Assert.Equal(new object[] { true, false }, ((ChoiceDomain)space.Domains[1]).Values);
    }

    [Fact]
    public void Uniform_loguniform_and_quniform()
    {
        var space = Parse("""
            # comment line, then a blank one

            hidden_dropout_prob uniform 0.1,0.5   # trailing comment
            learning_rate loguniform -8, 0
            hidden_size quniform 32,128,32
            attn_dropout_prob quniform 0.1,0.3,0.1
            """);
        Assert.Equal(4, space.Domains.Count);
        var uniform = Assert.IsType<UniformDomain>(space.Domains[0]);
        Assert.Equal((0.1, 0.5), (uniform.Low, uniform.High));
        var log = Assert.IsType<LogUniformDomain>(space.Domains[1]);
        Assert.Equal((-8.0, 0.0), (log.LogLow, log.LogHigh));
        var random = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var lr = (double)log.Sample(random);
            Assert.InRange(lr, Math.Exp(-8), 1.0); // natural-log bounds: e^-8 .. e^0
        }
        var sizes = Assert.IsType<QUniformDomain>(space.Domains[2]);
        Assert.Equal(ValueKind.Integer, sizes.Kind);
        Assert.Equal(new object[] { 32L, 64L, 96L, 128L }, sizes.GridValues());
        Assert.All(Enumerable.Range(0, 50).Select(_ => sizes.Sample(random)), v => Assert.Contains((long)v, new long[] { 32, 64, 96, 128 }));
        Assert.Equal(new object[] { 0.1, 0.2, 0.3 }, ((QUniformDomain)space.Domains[3]).GridValues());
        Assert.False(space.IsGrid);
    }

    [Fact]
    public void Section_qualified_names_and_aliases_select_the_parameter()
    {
        var space = Parse("trainer.weight_decay choice [0.0, 0.0001]\nn_layers choice [1]\nlightsans.n_heads choice [1,2]\n");
        Assert.Equal(["trainer.weight_decay", "lightsans.num_layers", "lightsans.n_heads"], space.Domains.Select(d => d.Path));
    }

    [Fact]
    public void Recboles_upper_case_field_keys_select_their_parameter()
    {
        var space = Parse("MAX_ITEM_LIST_LENGTH choice [50,100]\n");
        Assert.Equal(["data.max_item_list_length"], space.Domains.Select(d => d.Path));
    }

    [Fact]
    public void Lightsans_hyper_is_the_45_point_grid_of_the_seed()
    {
        var space = LightSansSpace();
        Assert.Equal(["trainer.learning_rate", "lightsans.num_layers", "lightsans.k_interests"], space.Domains.Select(d => d.Path));
        Assert.Equal(45, space.GridSize);
        var points = space.GridPoints();
        Assert.Equal(45, points.Select(p => p.Hash).Distinct().Count());
        Assert.Equal(45, points.Select(p => string.Join(";", p.ToOverrides())).Distinct().Count());
    }

    [Fact]
    public void Sasrec_hyper_parses_against_the_sasrec_section()
    {
        var sections = new[] { SeqRec.Configuration.TrainerConfig.Info, SeqRec.Models.SasRecConfig.Info };
        var space = HyperFileParser.ParseFile(Path.Combine(TestPaths.RepoRoot, "configs", "hyper", "sasrec.hyper"), sections);
        Assert.Equal(["trainer.learning_rate", "sasrec.num_layers", "sasrec.hidden_dropout_prob"], space.Domains.Select(d => d.Path));
        Assert.Equal(30, space.GridSize);
    }

    [Theory]
    [InlineData("learning_rat choice [0.1]", "test.hyper:1: learning_rat: unknown parameter 'learning_rat'; did you mean 'learning_rate' (trainer.learning_rate)?")]
    [InlineData("zzz choice [1]", "test.hyper:1: zzz: unknown parameter 'zzz'")]
    [InlineData("trainr.epochs choice [1]", "test.hyper:1: trainr.epochs: unknown section 'trainr'; did you mean 'trainer'?")]
    [InlineData("trainer.epoch choice [1]", "test.hyper:1: trainer.epoch: unknown key 'epoch' in [trainer]; did you mean 'epochs'?")]
    [InlineData("num_layers chioce [1]", "test.hyper:1: num_layers: unknown type 'chioce'; did you mean 'choice'? (expected choice, uniform, loguniform or quniform)")]
    [InlineData("num_layers choice", "test.hyper:1: expected 'name type values' (e.g. 'learning_rate choice [0.01,0.001]'), got 'num_layers choice'")]
    [InlineData("num_layers choice [1, 2.5]", "test.hyper:1: lightsans.num_layers: 2.5 is not an integer (num_layers is int)")]
    [InlineData("num_layers choice [1, two]", "test.hyper:1: lightsans.num_layers: expected an integer, got 'two'")]
    [InlineData("learning_rate choice [0.1, fast]", "test.hyper:1: trainer.learning_rate: expected a number, got 'fast'")]
    [InlineData("num_layers choice [0, 1]", "test.hyper:1: lightsans.num_layers: 0 is below the minimum 1")]
    [InlineData("num_layers choice [1, 65]", "test.hyper:1: lightsans.num_layers: 65 is above the maximum 64")]
    [InlineData("hidden_act choice [gelu, mish]", "test.hyper:1: lightsans.hidden_act: 'mish' is not one of gelu, relu, swish, tanh, sigmoid")]
    [InlineData("eval.mask_history choice [yes]", "test.hyper:1: eval.mask_history: expected true or false, got 'yes'")]
    [InlineData("num_layers choice 1,2", "test.hyper:1: lightsans.num_layers: expected a list like [1, 2, 3] after 'choice', got '1,2'")]
    [InlineData("num_layers choice []", "test.hyper:1: lightsans.num_layers: the choice list is empty")]
    [InlineData("num_layers choice [[1,2]]", "test.hyper:1: lightsans.num_layers: nested lists are not supported in a choice")]
    [InlineData("num_layers choice [1,,2]", "test.hyper:1: lightsans.num_layers: empty value in the list")]
    [InlineData("num_layers choice [1,2,1]", "test.hyper:1: lightsans.num_layers: 1 is listed twice")]
    [InlineData("num_layers uniform 1,3", "test.hyper:1: lightsans.num_layers: uniform gives real numbers but num_layers is int; use quniform lo,hi,1 or choice for an integer")]
    [InlineData("hidden_act loguniform 1,3", "test.hyper:1: lightsans.hidden_act: loguniform gives real numbers but hidden_act is enum; use choice")]
    [InlineData("hidden_act quniform 1,3,1", "test.hyper:1: lightsans.hidden_act: quniform gives numbers but hidden_act is enum; use choice")]
    [InlineData("hidden_dropout_prob uniform 0.1", "test.hyper:1: lightsans.hidden_dropout_prob: expected 'uniform lo,hi' (2 comma-separated numbers), got '0.1'")]
    [InlineData("hidden_dropout_prob uniform 0.1,x", "test.hyper:1: lightsans.hidden_dropout_prob: expected a number, got 'x' in '0.1,x'")]
    [InlineData("hidden_dropout_prob uniform 0.5,0.1", "test.hyper:1: lightsans.hidden_dropout_prob: the lower bound 0.5 is not below the upper bound 0.1")]
    [InlineData("hidden_dropout_prob uniform 0.5,1.5", "test.hyper:1: lightsans.hidden_dropout_prob: 1.5 is above the maximum 1")]
    [InlineData("hidden_dropout_prob loguniform -3,1", "test.hyper:1: lightsans.hidden_dropout_prob: exp(1) = 2.718281828459045 is above the maximum 1")]
    [InlineData("hidden_size quniform 32,128", "test.hyper:1: lightsans.hidden_size: expected 'quniform lo,hi,q' (3 comma-separated numbers), got '32,128'")]
    [InlineData("hidden_size quniform 32,128,0", "test.hyper:1: lightsans.hidden_size: the step q must be positive, got 0")]
    [InlineData("hidden_size quniform 128,32,32", "test.hyper:1: lightsans.hidden_size: the lower bound 128 is above the upper bound 32")]
    [InlineData("hidden_size quniform 32,128,0.5", "test.hyper:1: lightsans.hidden_size: hidden_size is int: quniform bounds and step must be integers")]
    [InlineData("hidden_dropout_prob quniform 0.41,0.49,0.1", "test.hyper:1: lightsans.hidden_dropout_prob: no multiple of 0.1 lies in [0.41, 0.49]")]
    [InlineData("hidden_size quniform 0,128,32", "test.hyper:1: lightsans.hidden_size: 0 is below the minimum 1")]
    [InlineData("eval.topk choice [5, 10]", "test.hyper:1: eval.topk: a int[] parameter cannot be tuned (only numbers, booleans, strings and enums)")]
    [InlineData("# only a comment\n", "test.hyper: no parameters to tune (expected lines like 'learning_rate choice [0.01,0.001]')")]
    [InlineData("num_layers choice [1]\nn_layers choice [2]", "test.hyper:2: lightsans.num_layers: set twice (first on line 1)")]
    public void Every_error_names_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<SeqRecException>(() => Parse(text));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void All_errors_are_collected_in_line_order_before_any_trial_runs()
    {
        var error = Assert.Throws<SeqRecException>(() => Parse("num_layers choice [0]\nlearning_rate choice [0.01]\nk_interests choice [2.5]\nbogus uniform 1,2\n"));
        Assert.Equal(
            [
                "test.hyper:1: lightsans.num_layers: 0 is below the minimum 1",
                "test.hyper:3: lightsans.k_interests: 2.5 is not an integer (k_interests is int)",
                "test.hyper:4: bogus: unknown parameter 'bogus'",
            ],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        var error = Assert.Throws<SeqRecException>(() => HyperFileParser.ParseFile("/nowhere/x.hyper", LightSansSections));
        Assert.Equal("/nowhere/x.hyper: params file not found", error.Message);
    }

    [Fact]
    public void Overrides_are_set_arguments_the_resolver_accepts()
    {
        var point = Parse("learning_rate choice [0.001]\nnum_layers choice [2]\nhidden_act choice [relu]\n").GridPoints().Single();
        Assert.Equal(["trainer.learning_rate=0.001", "lightsans.num_layers=2", "lightsans.hidden_act=\"relu\""], point.ToOverrides());
        var config = SeqRec.Configuration.ConfigResolver.Resolve(new SeqRec.Configuration.ConfigRequest { Model = "lightsans", Sets = point.ToOverrides() }, TinyModels.Registry);
        Assert.Equal(0.001, config.Trainer.LearningRate);
        Assert.Equal(2, config.ModelSection<SeqRec.Models.LightSansConfig>().NumLayers);
        Assert.Equal(SeqRec.Modeling.Activation.Relu, config.ModelSection<SeqRec.Models.LightSansConfig>().HiddenAct);
    }
}

using SeqRec.Configuration;
using SeqRec.Models;
using SeqRec.Modeling;
using SeqRec.Tests.Models;
using Xunit;
using static SeqRec.Tests.Configuration.ConfigAssert;

namespace SeqRec.Tests.Configuration;

/// <summary>The generated binders and validators, through the resolver, for every kind of error.</summary>
public class BinderTests
{
    [Fact]
    public void Defaults_are_recboles()
    {
        var config = Resolve(new ConfigRequest { Model = "lightsans" });
        var lightsans = config.ModelSection<LightSansConfig>();
        Assert.Equal((2, 2, 5, 64, 256), (lightsans.NumLayers, lightsans.NHeads, lightsans.KInterests, lightsans.HiddenSize, lightsans.InnerSize));
        Assert.Equal((0.5, 0.5, Activation.Gelu, 1e-12, 0.02, LossType.CE),
            (lightsans.HiddenDropoutProb, lightsans.AttnDropoutProb, lightsans.HiddenAct, lightsans.LayerNormEps, lightsans.InitializerRange, lightsans.LossType));
        Assert.Equal((300, 2048, 0.001, 0.0, 10, 1, 2020L), (config.Trainer.Epochs, config.Trainer.TrainBatchSize, config.Trainer.LearningRate,
            config.Trainer.WeightDecay, config.Trainer.StoppingStep, config.Trainer.EvalStep, config.Trainer.Seed));
        Assert.Null(config.Trainer.ClipGradNorm);
        Assert.Equal(("MRR@10", 4096, "full"), (config.Eval.ValidMetric, config.Eval.EvalBatchSize, config.Eval.Mode));
        Assert.Equal([10], config.Eval.Topk);
        Assert.Equal(50, config.Data.MaxItemListLength);
    }

    [Fact]
    public void Lightsans_has_the_eleven_documented_hyper_parameters()
    {
        var keys = LightSansConfig.Info.Parameters.Select(p => p.Key);
        Assert.Equal(["num_layers", "n_heads", "k_interests", "hidden_size", "inner_size", "hidden_dropout_prob", "attn_dropout_prob",
            "hidden_act", "layer_norm_eps", "initializer_range", "loss_type"], keys);
        Assert.Equal(["gelu", "relu", "swish", "tanh", "sigmoid"], LightSansConfig.Info.Parameters.Single(p => p.Key == "hidden_act").AllowedValues);
    }

    [Fact]
    public void Below_the_minimum_names_source_key_and_bound() =>
        Assert.Equal(["--set: lightsans.k_interests: 0 is below the minimum 1"], FailsWithSets("lightsans.k_interests=0"));

    [Fact]
    public void Above_the_maximum_is_an_error() =>
        Assert.Equal(["--set: lightsans.hidden_dropout_prob: 1.5 is above the maximum 1"], FailsWithSets("lightsans.hidden_dropout_prob=1.5"));

    [Fact]
    public void A_float_for_an_integer_is_an_error() =>
        Assert.Equal(["--set: lightsans.k_interests: expected an integer, got the float 2.0"], FailsWithSets("lightsans.k_interests=2.0"));

    [Fact]
    public void An_out_of_range_long_is_an_error() =>
        Assert.Equal(["--set: trainer.seed: 99999999999999999999 is out of range for a 64-bit integer"], FailsWithSets("trainer.seed=99999999999999999999"));

    [Fact]
    public void A_long_that_does_not_fit_an_int_is_an_error() =>
        Assert.Equal(["--set: trainer.epochs: 3000000000 does not fit a 32-bit integer"], FailsWithSets("trainer.epochs=3000000000"));

    [Fact]
    public void An_unknown_enum_value_lists_the_allowed_ones() =>
        Assert.Equal(["--set: lightsans.hidden_act: 'mish' is not one of gelu, relu, swish, tanh, sigmoid"], FailsWithSets("lightsans.hidden_act=mish"));

    [Fact]
    public void Enums_match_case_insensitively()
    {
        var config = Resolve(new ConfigRequest { Model = "lightsans", Sets = ["lightsans.hidden_act=ReLU", "lightsans.loss_type=bpr"] });
        Assert.Equal((Activation.Relu, LossType.BPR), (config.ModelSection<LightSansConfig>().HiddenAct, config.ModelSection<LightSansConfig>().LossType));
    }

    [Fact]
    public void An_unknown_key_suggests_the_nearest() =>
        Assert.Equal(["--set: lightsans.k_interest: unknown key; did you mean 'k_interests'?"], FailsWithSets("lightsans.k_interest=3"));

    [Fact]
    public void An_unknown_key_far_from_everything_has_no_suggestion() =>
        Assert.Equal(["--set: lightsans.zzzzzzzz: unknown key"], FailsWithSets("lightsans.zzzzzzzz=3"));

    [Fact]
    public void A_string_where_a_number_is_expected_is_an_error() =>
        Assert.Equal(["--set: trainer.learning_rate: expected a number, got the string \"fast\""], FailsWithSets("trainer.learning_rate=fast"));

    [Fact]
    public void Array_elements_carry_their_index() =>
        Assert.Contains("--set: eval.topk[1]: expected an integer, got the string \"ten\"", FailsWithSets("eval.topk=[5, \"ten\"]"));

    [Fact]
    public void The_recbole_alias_n_layers_sets_num_layers()
    {
        var config = Resolve(new ConfigRequest { Model = "sasrec", Sets = ["sasrec.n_layers=3"] });
        Assert.Equal(3, config.ModelSection<SasRecConfig>().NumLayers);
    }

    [Fact]
    public void An_error_on_an_aliased_key_names_the_spelling_used() =>
        Assert.Equal(["--set: lightsans.n_layers: 0 is below the minimum 1"], FailsWithSets("lightsans.n_layers=0"));

    [Fact]
    public void Setting_a_key_and_its_alias_is_an_error() =>
        Assert.Contains("--set: lightsans.n_layers: 'n_layers' is another name for 'num_layers'; set only one of them",
            FailsWithSets("lightsans.n_layers=1", "lightsans.num_layers=2"));

    [Fact]
    public void Hidden_size_must_be_divisible_by_n_heads() =>
        Assert.Equal(["--set: lightsans.hidden_size: 65 is not divisible by n_heads (2)"], FailsWithSets("lightsans.hidden_size=65"));

    [Fact]
    public void K_interests_above_the_sequence_length_is_only_a_warning()
    {
        var config = Resolve(new ConfigRequest { Model = "lightsans", Sets = ["lightsans.k_interests=60"] });
        var warning = Assert.Single(config.Warnings);
        Assert.Contains("lightsans.k_interests: 60 interests exceed max_item_list_length (50)", warning.ToString());
    }

    [Fact]
    public void Every_error_is_collected_and_sorted_by_path()
    {
        var errors = FailsWithSets("trainer.epochs=0", "lightsans.k_interests=0", "eval.eval_batch_size=0");
        Assert.Equal(["eval.eval_batch_size", "lightsans.k_interests", "trainer.epochs"],
            errors.Select(e => e.Split(": ")[1]));
    }

    [Fact]
    public void Valid_metric_must_be_computed()
    {
        Assert.Contains(FailsWithSets("eval.valid_metric=NDCG@20"), e => e.Contains("eval.valid_metric: K=20 is not in topk (10)", StringComparison.Ordinal));
        Assert.Contains(FailsWithSets("eval.metrics=[\"Recal\"]"), e => e.Contains("did you mean 'Recall'?", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_model_suggests_the_nearest() =>
        Assert.Equal([$"--model: model: unknown model 'lightsan'; did you mean 'lightsans'? (known: {string.Join(", ", TinyModels.Registry.All.Select(m => m.Id))})"],
            Fails(new ConfigRequest { Model = "lightsan" }));

    [Fact]
    public void No_model_is_an_error() =>
        Assert.Contains("no model chosen", Assert.Single(Fails(new ConfigRequest())), StringComparison.Ordinal);
}

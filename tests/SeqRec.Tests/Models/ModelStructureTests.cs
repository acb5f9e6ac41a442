using SeqRec.Modeling;
using SeqRec.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

public class ModelStructureTests
{
    private static long Linear(long a, long b) => a * b + b;

    private static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());

    [Fact]
    public void LightSans_has_the_parameter_count_of_the_reference_formula()
    {
        const int nItems = 3629, length = 200, d = 64, k = 20, inner = 256, layers = 2;
        using var model = TinyModels.LightSans(new ModelContext(nItems, length),
            new LightSansConfig { KInterests = k, HiddenSize = d, InnerSize = inner, NumLayers = layers });

        var formula = nItems * d + length * d + layers * (6 * Linear(d, d) + 2 * d * k + 6 * d + Linear(d, inner) + Linear(inner, d)) + 2 * d;
        Assert.Equal(367_168, formula);
        Assert.Equal(367_168, ParameterCount(model));
    }

    [Theory]
    [InlineData(3629, 200, 64, 256, 2)]
    [InlineData(1683, 50, 32, 64, 3)]
    public void SasRec_has_the_parameter_count_of_the_reference_formula(int nItems, int length, int d, int inner, int layers)
    {
        using var model = TinyModels.SasRec(new ModelContext(nItems, length),
            new SasRecConfig { HiddenSize = d, InnerSize = inner, NumLayers = layers });

        var formula = (long)nItems * d + length * d + layers * (4 * Linear(d, d) + 4 * d + Linear(d, inner) + Linear(inner, d)) + 2 * d;
        Assert.Equal(formula, ParameterCount(model));
        if (nItems == 3629) Assert.Equal(345_152, formula);
    }

    [Fact]
    public void State_dict_names_are_the_reference_names()
    {
        using var lightSans = TinyModels.LightSans(new ModelContext(10, 6), new LightSansConfig { NumLayers = 2 });
        using var sasRec = TinyModels.SasRec(new ModelContext(10, 6), new SasRecConfig { NumLayers = 1 });

        var lightKeys = lightSans.state_dict().Keys.ToHashSet();
        Assert.Contains("item_embedding.weight", lightKeys);
        Assert.Contains("position_embedding.weight", lightKeys);
        Assert.Contains("trm_encoder.layer.1.multi_head_attention.attpooling_key.theta", lightKeys);
        Assert.Contains("trm_encoder.layer.0.multi_head_attention.pos_ln.bias", lightKeys);
        Assert.Contains("trm_encoder.layer.1.feed_forward.dense_2.weight", lightKeys);
        Assert.Contains("LayerNorm.weight", lightKeys);
        Assert.Equal(2 + 2 + 2 * 24, lightKeys.Count);
        Assert.Equal(2 + 2 + 16, sasRec.state_dict().Count);
    }

    [Fact]
    public void Weights_are_initialised_like_the_reference()
    {
        using var model = TinyModels.LightSans(new ModelContext(2000, 50), new LightSansConfig { InitializerRange = 0.02 });
        var state = model.state_dict();

        var embedding = state["item_embedding.weight"];
        Assert.InRange(embedding.std().item<float>(), 0.019, 0.021);
        Assert.True(embedding[0].abs().sum().item<float>() > 0, "the padding row is overwritten by N(0, 0.02) like the reference");
        Assert.InRange(state["trm_encoder.layer.0.feed_forward.dense_1.weight"].std().item<float>(), 0.018, 0.022);
        Assert.Equal(0f, state["trm_encoder.layer.0.multi_head_attention.query.bias"].abs().max().item<float>());
        Assert.Equal(1f, state["trm_encoder.layer.0.multi_head_attention.pos_ln.weight"].min().item<float>());
        Assert.Equal(0f, state["LayerNorm.bias"].abs().max().item<float>());
        Assert.InRange(state["trm_encoder.layer.0.multi_head_attention.attpooling_key.theta"].std().item<float>(), 0.8, 1.2);
    }

    [Fact]
    public void Theta_is_identical_across_layers_at_init_and_differs_between_key_and_value()
    {
        using var model = TinyModels.LightSans(new ModelContext(30, 10), new LightSansConfig { NumLayers = 3 });
        var state = model.state_dict();
        string Theta(int layer, string which) => $"trm_encoder.layer.{layer}.multi_head_attention.attpooling_{which}.theta";

        foreach (var which in new[] { "key", "value" })
            for (var layer = 1; layer < 3; layer++)
                Assert.True(state[Theta(0, which)].eq(state[Theta(layer, which)]).all().item<bool>(), $"{which} theta of layer {layer}");
        Assert.False(state[Theta(0, "key")].eq(state[Theta(0, "value")]).all().item<bool>());
        // Shared values, not a shared tensor: each layer trains its own copy.
        Assert.NotEqual(state[Theta(0, "key")].Handle, state[Theta(1, "key")].Handle);
    }

    [Fact]
    public void Sasrec_mask_is_causal_and_hides_padding_keys_with_minus_10000()
    {
        using var seq = tensor(new long[] { 4, 5, 0, 0 }, [1, 4]);
        using var factors = SeqRec.Models.Layers.CausalPaddingMask.For(seq);
        using var mask = factors.Dense();

        Assert.Equal([1L, 1, 4, 4], mask.shape);
        float[] expected =
        [
            0, -10000, -10000, -10000,
            0, 0, -10000, -10000,
            0, 0, -10000, -10000,
            0, 0, -10000, -10000,
        ];
        Assert.Equal(expected, mask.data<float>().ToArray());
    }
}

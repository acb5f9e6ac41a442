using SeqRec.Configuration;
using SeqRec.Modeling;
using SeqRec.Models;
using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class RecomputedFeedForwardTests
{
    [Theory]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Swish)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void Recomputing_in_blocks_gives_the_outputs_and_gradients_of_plain_autograd(Activation activation)
    {
        // 2 x 7 = 14 rows in blocks of 4: three full blocks and a partial one.
        var (plainOutput, plainGrads) = RunFeedForward(activation, recompute: false);
        var (recomputedOutput, recomputedGrads) = RunFeedForward(activation, recompute: true);

        Assert.True(recomputedOutput.allclose(plainOutput, rtol: 1e-6, atol: 1e-7), "outputs differ");
        Assert.Equal(plainGrads.Keys.Order(), recomputedGrads.Keys.Order());
        foreach (var (name, expected) in plainGrads)
        {
            var actual = recomputedGrads[name];
            Assert.True(actual.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            // Blocks accumulate the parameter gradients over rows in another order than one big matmul, so sums of
            // about 1e-2 differ in their last float32 bits (3.6e-7 seen on an AMD EPYC); a wrong gradient is off by far more.
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6),
                $"{name}: max difference {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void In_evaluation_the_blocked_path_gives_the_plain_output()
    {
        using var plain = NewBlock(Activation.Gelu, recompute: false);
        using var blocked = NewBlock(Activation.Gelu, recompute: true);
        plain.eval();
        blocked.eval();
        manual_seed(12);
        using var input = randn(2, 7, 8);
        using var noGrad = no_grad();
        using var expected = plain.call(input);
        using var actual = blocked.call(input);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-7));
    }

    [Theory]
    [InlineData("lightsans", 3)]
    [InlineData("sasrec", 2)]
    public void The_trainer_setting_switches_every_feed_forward_block_of_the_model(string modelId, int layers)
    {
        var config = ConfigResolver.Resolve(new ConfigRequest
        {
            Model = modelId,
            Sets = [$"{modelId}.num_layers={layers}", "trainer.recompute_activations=true"],
        }, TinyModels.Registry);
        Assert.True(config.Trainer.RecomputeActivations);
        using var model = config.Model.Create(config.ModelConfig, new ModelContext(20, 6));
        Assert.Equal(layers, FeedForwards(model).Count());
        Assert.All(Recomputing(model), module => Assert.False(module.RecomputeActivations));

        Assert.Equal(Recomputing(model).Count(), model.UseActivationRecomputation());
        Assert.All(Recomputing(model), module => Assert.True(module.RecomputeActivations));
        Assert.All(FeedForwards(model), block => Assert.True(block.RecomputeActivations));
    }

    [Fact]
    public void With_the_previous_blocks_norm_inside_recomputation_gives_the_plain_outputs_and_gradients()
    {
        (Tensor Output, Dictionary<string, Tensor> Grads) Run(bool recompute)
        {
            using var block = NewBlock(Activation.Gelu, recompute);
            using var norm = nn.LayerNorm(8, 1e-12);
            block.train();
            manual_seed(13);
            using (no_grad()) norm.weight!.uniform_(0.5, 1.5);
            var preNorm = randn(2, 7, 8).requires_grad_();
            var output = block.ForwardAfter(norm, preNorm);
            output.mul(arange(output.numel()).view(output.shape).cos()).sum().backward();
            var grads = block.named_parameters().Concat(norm.named_parameters().Select(p => ("norm." + p.name, p.parameter)))
                .ToDictionary(p => p.Item1, p => p.Item2.grad!.detach().clone());
            grads["preNorm"] = preNorm.grad!.detach().clone();
            return (output.detach().clone(), grads);
        }

        var (plain, plainGrads) = Run(recompute: false);
        var (recomputed, recomputedGrads) = Run(recompute: true);
        Assert.True(recomputed.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        foreach (var (name, expected) in plainGrads)
        {
            var actual = recomputedGrads[name];
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6),
                $"{name}: max difference {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData("lightsans", 0.0)]
    [InlineData("lightsans", 0.3)]
    [InlineData("sasrec", 0.3)]
    public void A_model_trains_to_the_same_loss_with_and_without_recomputation(string modelId, double dropout)
    {
        var plain = TrainTwoSteps(modelId, dropout, recompute: false);
        var recomputed = TrainTwoSteps(modelId, dropout, recompute: true);
        Assert.Equal(plain[0], recomputed[0], 5);
        Assert.Equal(plain[1], recomputed[1], 4);
        Assert.NotEqual(plain[0], plain[1]);
    }

    private static float[] TrainTwoSteps(string modelId, double dropout, bool recompute)
    {
        using SequentialRecommender model = modelId == "sasrec"
            ? TinyModels.SasRec(new ModelContext(30, 8),
                new SasRecConfig { HiddenDropoutProb = dropout, AttnDropoutProb = dropout, HiddenSize = 16, InnerSize = 32 })
            : TinyModels.LightSans(new ModelContext(30, 8),
                new LightSansConfig { HiddenDropoutProb = dropout, AttnDropoutProb = dropout, HiddenSize = 16, InnerSize = 32 });
        if (recompute) model.UseActivationRecomputation();
        manual_seed(99);   // the same dropout masks on both paths
        using var batch = TinyModels.Batch(30, 8, [8, 3, 5, 1, 7]);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var losses = new float[2];
        for (var step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            using var loss = model.CalculateLoss(batch).Total;
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }
        return losses;
    }

    private static IEnumerable<IRecomputesActivations> Recomputing(nn.Module model) =>
        model.named_modules().Select(pair => pair.module).OfType<IRecomputesActivations>();

    private static IEnumerable<FeedForward> FeedForwards(nn.Module model) =>
        model.named_modules().Select(pair => pair.module).OfType<FeedForward>();

    private static FeedForward NewBlock(Activation activation, bool recompute)
    {
        manual_seed(11);
        return new FeedForward(new TransformerSettings(NumLayers: 1, NHeads: 1, HiddenSize: 8, InnerSize: 12, HiddenDropoutProb: 0.3, AttnDropoutProb: 0, HiddenAct: activation, LayerNormEps: 1e-12))
        {
            RecomputeActivations = recompute,
            RecomputeBlockRows = 4,
        };
    }

    private static (Tensor Output, Dictionary<string, Tensor> Grads) RunFeedForward(Activation activation, bool recompute)
    {
        using var block = NewBlock(activation, recompute);
        block.train();
        manual_seed(12);
        var input = randn(2, 7, 8).requires_grad_();
        // Both paths draw the same dropout mask from this seed.
        var output = block.call(input);
        // A non-uniform upstream gradient, so every row and column matters.
        output.mul(arange(output.numel()).view(output.shape).sin()).sum().backward();
        var grads = block.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        grads["input"] = input.grad!.detach().clone();
        return (output.detach().clone(), grads);
    }
}

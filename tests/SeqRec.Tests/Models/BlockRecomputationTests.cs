using SeqRec.Modeling;
using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class BlockRecomputationTests
{
    [Theory]
    [InlineData(100)] // one block
    [InlineData(2)]   // blocks of 2, 2, 1
    [InlineData(1)]
    public void Blocked_recomputation_gives_the_outputs_and_gradients_of_plain_autograd(long rowsPerBlock)
    {
        manual_seed(5);
        using var weight = randn(4, 3).requires_grad_();
        using var unused = randn(2).requires_grad_();
        using var shared = randn(3, 3).requires_grad_();
        using var input = randn(5, 6, 4).requires_grad_();
        using var picked = tensor(new long[] { 5, 0, 2, 2, 4 });
        using var upstream = randn(5, 2, 3);

        // Reads its input twice (a map of every row and one picked row) and uses a shared non-leaf and a parameter.
        Tensor Function(IReadOnlyList<Tensor> block, IReadOnlyList<Tensor> common)
        {
            var rows = block[0].matmul(weight).tanh();                                        // [n, 6, 3]
            var pick = block[0].gather(1, block[1].view(-1, 1, 1).expand(-1, 1, 4)).matmul(weight);
            return cat([rows.sum(1, keepdim: true).matmul(common[0]), pick], 1);          // [n, 2, 3]
        }

        using var plain = Function([input, picked], [shared.mul(shared)]);
        var plainGrads = autograd.grad([plain], [input, weight, shared], [upstream]);
        using var blocked = BlockRecomputation.Apply(Function, [input, picked], [shared.mul(shared), weight, unused], rowsPerBlock);
        var blockedGrads = autograd.grad([blocked], [input, weight, shared], [upstream]);

        Assert.True(blocked.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        string[] names = ["input", "weight", "shared"];
        for (var i = 0; i < names.Length; i++)
            Assert.True(blockedGrads[i].allclose(plainGrads[i], rtol: 1e-5, atol: 1e-6),
                $"{names[i]}: max difference {(blockedGrads[i] - plainGrads[i]).abs().max().item<float>()}");
        Assert.True(plainGrads[0].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Blocked_inputs_must_share_their_first_axis()
    {
        using var a = zeros(4, 2);
        using var b = zeros(3);
        var error = Assert.Throws<ArgumentException>(() => BlockRecomputation.Apply((x, _) => x[0], [a, b], [], 2));
        Assert.Contains("4 rows", error.Message);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.3, 0.2)]
    [InlineData(0.0, 0.4)]  // only the output dropout: the masks are optional one by one
    public void LightSANs_last_layer_recomputed_in_blocks_gives_the_plain_rows_and_gradients(double hiddenDropout, double attnDropout)
    {
        const int batch = 5, length = 7, hidden = 8;
        manual_seed(8);
        using var attention = new LightMultiHeadAttention(new TransformerSettings(1, 2, hidden, 4 * hidden, hiddenDropout, attnDropout, Activation.Gelu, 1e-12), kInterests: 3);
        attention.train();
        using var input = randn(batch, length, hidden).requires_grad_();
        using var positions = randn(length, hidden).requires_grad_();
        using var rows = tensor(new long[] { 6, 0, 3, 2, 6 });
        using var upstream = randn(batch, 1, hidden);

        (Tensor Output, Dictionary<string, Tensor> Grads) Run(bool recompute)
        {
            attention.RecomputeActivations = recompute;
            attention.RecomputeBlockElements = 2 * length * hidden;   // blocks of 2, 2, 1 sequences
            manual_seed(77);                                          // the same dropout masks for both runs
            var output = attention.ForwardAt(input, positions, rows);
            var leaves = attention.named_parameters().ToList();
            var grads = autograd.grad([output], [input, positions, .. leaves.Select(p => (Tensor)p.parameter)], [upstream], allow_unused: true);
            var named = new Dictionary<string, Tensor> { ["input"] = grads[0], ["positions"] = grads[1] };
            for (var i = 0; i < leaves.Count; i++) named[leaves[i].name] = grads[i + 2];
            return (output, named);
        }

        var (plain, plainGrads) = Run(recompute: false);
        var (blocked, blockedGrads) = Run(recompute: true);

        Assert.True(blocked.allclose(plain, rtol: 1e-6, atol: 1e-6), "outputs differ");
        foreach (var (name, expected) in plainGrads)
        {
            var actual = blockedGrads[name];
            if (expected is null || expected.IsInvalid) { Assert.True(actual is null || actual.IsInvalid || actual.abs().sum().item<float>() == 0, name); continue; }
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6),
                $"{name}: max difference {(actual - expected).abs().max().item<float>()}");
        }
        Assert.True(plainGrads["value.weight"].abs().sum().item<float>() > 0);
        Assert.True(plainGrads["pos_q_linear.weight"].abs().sum().item<float>() > 0);
    }
}

using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;
using SeqRec.Kernels;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class AttentionProbabilitiesTests
{
    private const int Batch = 3;
    private const int HeadSize = 4;

    // 13 keys: one full vector of eight lanes and a scalar tail; sequence 1 has a padding key in the middle.
    private static readonly long[,] ItemSeq =
    {
        { 5, 3, 8, 1, 9, 9, 2, 7, 4, 6, 2, 0, 0 },
        { 4, 0, 6, 2, 8, 1, 3, 5, 7, 9, 1, 2, 3 },
        { 7, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    };

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.3)]
    [InlineData(true, 0.3)]
    public void Equal_scaled_masked_softmax_and_dropout_composed_by_autograd(bool oneRowPerSequence, double p)
    {
        var length = ItemSeq.GetLength(1);
        manual_seed(21);
        using var scope = NewDisposeScope();
        using var itemSeq = tensor(ItemSeq.Cast<long>().ToArray(), [Batch, length]);
        using var full = CausalPaddingMask.For(itemSeq);
        using var rows = tensor(new long[] { 10, 12, 1 });
        using var rowMask = oneRowPerSequence ? full.AtRows(rows) : null;
        var mask = rowMask ?? full;
        var queries = randn(Batch, oneRowPerSequence ? 1 : length, HeadSize).requires_grad_();
        var keys = randn(Batch, length, HeadSize).requires_grad_();
        var upstream = randn(Batch, queries.shape[1], length);
        var scale = 1 / Math.Sqrt(HeadSize);
        using var dropout = new HashedDropout(p);
        dropout.train();

        manual_seed(8);
        var fused = AttentionProbabilities.Apply(queries, keys, mask.Key, mask.QueryPositions, scale, dropout.NextDraw());
        fused.mul(upstream).sum().backward();
        var (fusedQueries, fusedKeys) = (queries.grad!.clone(), keys.grad!.clone());
        queries.grad!.zero_();
        keys.grad!.zero_();

        manual_seed(8);
        var keep = dropout.KeepMask([Batch, queries.shape[1], length], CPU);
        var composed = queries.bmm(keys.transpose(1, 2)).mul(scale).add(mask.Dense().squeeze(1)).softmax(-1)
            .mul(keep).mul(p == 0 ? 1.0 : 1 / (1 - p));
        composed.mul(upstream).sum().backward();

        Assert.True(fused.allclose(composed, rtol: 1e-5, atol: 1e-6), "probabilities differ");
        Assert.True(fusedQueries.allclose(queries.grad!, rtol: 1e-4, atol: 1e-6), "query gradients differ");
        Assert.True(fusedKeys.allclose(keys.grad!, rtol: 1e-4, atol: 1e-6), "key gradients differ");
        Assert.True(fusedKeys.abs().sum().item<float>() > 0);
        if (p > 0) Assert.True(composed.eq(0).logical_and(upstream.ne(0)).any().item<bool>(), "nothing was dropped");
    }
}

using SeqRec.Modeling;
using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

public class EncoderTests
{
    private const int Batch = 5, Length = 9, Hidden = 16;
    private static readonly long[] Rows = [8, 0, 3, 5, 8];

    [Fact]
    public void Light_encoder_at_selected_rows_equals_the_gathered_full_output()
    {
        manual_seed(3);
        using var encoder = new LightTransformerEncoder(2, 4, 3, Hidden, 32, 0.5, 0.5, Activation.Gelu, 1e-12);
        encoder.eval();
        using var noGrad = no_grad();
        var input = randn(Batch, Length, Hidden);
        var positions = randn(Length, Hidden);
        var rows = tensor(Rows);

        var full = encoder.call(input, positions);
        var selected = encoder.ForwardAt(input, positions, rows);

        Assert.True(Gathered(full, rows).allclose(selected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sasrec_encoder_at_selected_rows_equals_the_gathered_full_output()
    {
        manual_seed(3);
        using var encoder = new TransformerEncoder(2, 4, Hidden, 32, 0.5, 0.5, Activation.Relu, 1e-12);
        encoder.eval();
        using var noGrad = no_grad();
        var input = randn(Batch, Length, Hidden);
        var itemSeq = (arange(Length).unsqueeze(0) < tensor(Rows).unsqueeze(1) + 1).to_type(ScalarType.Int64) * 7;
        using var mask = CausalPaddingMask.For(itemSeq);
        var rows = tensor(Rows);

        var full = encoder.call(input, mask);
        var selected = encoder.ForwardAt(input, mask, rows);

        Assert.True(Gathered(full, rows).allclose(selected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sasrec_training_attention_equals_the_fused_evaluation_attention_when_nothing_is_dropped()
    {
        // p = 1e-12 keeps every element (threshold 0 of 2^32) but still takes the explicit training path: factored
        // mask added to the scores, softmax, dropout, product. Evaluation runs libtorch's fused kernel on the dense mask.
        manual_seed(5);
        using var encoder = new TransformerEncoder(2, 4, Hidden, 32, 0.0, 1e-12, Activation.Gelu, 1e-12);
        using var noGrad = no_grad();
        var input = randn(Batch, Length, Hidden);
        var itemSeq = (arange(Length).unsqueeze(0) < tensor(Rows).unsqueeze(1) + 1).to_type(ScalarType.Int64) * 7;
        using var mask = CausalPaddingMask.For(itemSeq);
        var rows = tensor(Rows);

        encoder.train();
        var trained = encoder.ForwardAt(input, mask, rows);
        encoder.eval();
        var evaluated = encoder.ForwardAt(input, mask, rows);

        Assert.True(trained.allclose(evaluated, rtol: 1e-5, atol: 1e-6));
    }

    private static Tensor Gathered(Tensor full, Tensor rows) =>
        full.gather(1, rows.view(-1, 1, 1).expand(-1, 1, full.shape[2])).squeeze(1);
}

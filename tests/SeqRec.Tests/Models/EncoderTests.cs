using SeqRec.Modeling;
using SeqRec.Models.Layers;
using Xunit;
using static TorchSharp.torch;

namespace SeqRec.Tests.Models;

[Collection(TorchGlobalRandomCollection.Name)]
public class EncoderTests
{
    private const int Batch = 5, Length = 9, Hidden = 16;
    private static readonly long[] Rows = [8, 0, 3, 5, 8];

    [Fact]
    public void Light_encoder_at_selected_rows_equals_the_gathered_full_output()
    {
        manual_seed(3);
        using var encoder = new LightTransformerEncoder(new TransformerSettings(2, 4, Hidden, 32, 0.5, 0.5, Activation.Gelu, 1e-12), kInterests: 3);
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
    public void Light_encoder_at_selected_rows_has_the_gradients_of_the_gathered_full_output()
    {
        // ForwardAt pools and projects differently from forward (no per-row values); the gradients must still agree.
        var viaRows = LightGradients(selectRows: true);
        var viaFull = LightGradients(selectRows: false);
        Assert.Equal(viaFull.Keys.Order(), viaRows.Keys.Order());
        foreach (var (name, expected) in viaFull)
        {
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(viaRows[name].allclose(expected, rtol: 1e-4, atol: 1e-6), $"{name} differs");
        }
    }

    private static Dictionary<string, Tensor> LightGradients(bool selectRows)
    {
        manual_seed(3);
        using var encoder = new LightTransformerEncoder(new TransformerSettings(2, 4, Hidden, 32, 0, 0, Activation.Gelu, 1e-12), kInterests: 3);
        var input = randn(Batch, Length, Hidden).requires_grad_();
        var positions = randn(Length, Hidden).requires_grad_();
        var rows = tensor(Rows);
        var output = selectRows ? encoder.ForwardAt(input, positions, rows) : Gathered(encoder.call(input, positions), rows);
        output.mul(arange(output.numel()).view(output.shape).cos()).sum().backward();
        var grads = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        grads["input"] = input.grad!.detach().clone();
        grads["positions"] = positions.grad!.detach().clone();
        return grads;
    }

    [Fact]
    public void Sasrec_encoder_at_selected_rows_equals_the_gathered_full_output()
    {
        using var noGrad = no_grad();
        var (encoder, input) = EvaluatedSasrecEncoder();
        using var _ = encoder;
        var itemSeq = ItemSeqEndingAtRows();
        using var mask = CausalPaddingMask.For(itemSeq);
        var rows = tensor(Rows);

        var full = encoder.call(input, mask);
        var selected = encoder.ForwardAt(input, mask, rows);

        Assert.True(Gathered(full, rows).allclose(selected, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-12)] // keeps every element but takes the explicit training path (scores, softmax, dropout, product)
    public void Sasrec_encoder_at_selected_rows_has_the_gradients_of_the_gathered_full_output(double attnDropout)
    {
        var viaRows = SasrecGradients(selectRows: true, attnDropout);
        var viaFull = SasrecGradients(selectRows: false, attnDropout);
        Assert.Equal(viaFull.Keys.Order(), viaRows.Keys.Order());
        foreach (var (name, expected) in viaFull)
        {
            Assert.True(expected.abs().sum().item<float>() > 0, $"{name}: zero gradient");
            Assert.True(viaRows[name].allclose(expected, rtol: 1e-4, atol: 1e-6), $"{name} differs");
        }
    }

    [Fact]
    public void Sasrec_encoder_read_at_real_items_needs_only_the_causal_mask()
    {
        using var noGrad = no_grad();
        var (encoder, input) = EvaluatedSasrecEncoder();
        using var _ = encoder;
        var itemSeq = ItemSeqEndingAtRows();
        using var exact = CausalPaddingMask.For(itemSeq);
        using var realRows = CausalPaddingMask.ForRealRows(itemSeq);
        var rows = tensor(Rows);
        Assert.False(exact.CausalSuffices);
        Assert.True(realRows.CausalSuffices);

        var real = itemSeq.ne(0).unsqueeze(-1).expand(Batch, Length, Hidden);
        var fullExact = encoder.call(input, exact);
        var fullCausal = encoder.call(input, realRows);
        Assert.True(fullExact.masked_select(real).allclose(fullCausal.masked_select(real), rtol: 1e-5, atol: 1e-6));
        Assert.False(fullExact.masked_select(real.logical_not()).allclose(fullCausal.masked_select(real.logical_not()), rtol: 1e-3, atol: 1e-4),
            "padding rows should differ: the fixture does not exercise the padding term");
        Assert.True(encoder.ForwardAt(input, exact, rows).allclose(encoder.ForwardAt(input, realRows, rows), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Sasrec_encoder_read_at_real_items_has_the_exact_masks_gradients_without_attention_dropout()
    {
        var exact = SasrecGradients(selectRows: true, attnDropout: 0, realRowsMask: false);
        var causal = SasrecGradients(selectRows: true, attnDropout: 0, realRowsMask: true);
        foreach (var (name, expected) in exact)
            Assert.True(causal[name].allclose(expected, rtol: 1e-4, atol: 1e-6), $"{name} differs");
    }

    private static Dictionary<string, Tensor> SasrecGradients(bool selectRows, double attnDropout, bool realRowsMask = false)
    {
        manual_seed(3);
        using var encoder = new TransformerEncoder(new TransformerSettings(2, 4, Hidden, 32, 0, attnDropout, Activation.Gelu, 1e-12));
        var input = randn(Batch, Length, Hidden).requires_grad_();
        var itemSeq = ItemSeqEndingAtRows();
        using var mask = realRowsMask ? CausalPaddingMask.ForRealRows(itemSeq) : CausalPaddingMask.For(itemSeq);
        var rows = tensor(Rows);
        var output = selectRows ? encoder.ForwardAt(input, mask, rows) : Gathered(encoder.call(input, mask), rows);
        output.mul(arange(output.numel()).view(output.shape).cos()).sum().backward();
        var grads = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        grads["input"] = input.grad!.detach().clone();
        return grads;
    }

    [Fact]
    public void Sasrec_training_attention_equals_the_fused_evaluation_attention_when_nothing_is_dropped()
    {
        // p = 1e-12 keeps every element (threshold 0 of 2^32) but still takes the explicit training path: factored
        // mask added to the scores, softmax, dropout, product. Evaluation runs libtorch's fused kernel on the dense mask.
        manual_seed(5);
        using var encoder = new TransformerEncoder(new TransformerSettings(2, 4, Hidden, 32, 0.0, 1e-12, Activation.Gelu, 1e-12));
        using var noGrad = no_grad();
        var input = randn(Batch, Length, Hidden);
        var itemSeq = ItemSeqEndingAtRows();
        using var mask = CausalPaddingMask.For(itemSeq);
        var rows = tensor(Rows);

        encoder.train();
        var trained = encoder.ForwardAt(input, mask, rows);
        encoder.eval();
        var evaluated = encoder.ForwardAt(input, mask, rows);

        Assert.True(trained.allclose(evaluated, rtol: 1e-5, atol: 1e-6));
    }

    /// <summary>A seeded two-layer SASRec encoder in evaluation mode and its random input [Batch, Length, Hidden].</summary>
    private static (TransformerEncoder Encoder, Tensor Input) EvaluatedSasrecEncoder()
    {
        manual_seed(3);
        var encoder = new TransformerEncoder(new TransformerSettings(2, 4, Hidden, 32, 0.5, 0.5, Activation.Relu, 1e-12));
        encoder.eval();
        return (encoder, randn(Batch, Length, Hidden));
    }

    /// <summary>Right-padded sequences whose last real item is at <see cref="Rows"/> (item 7 everywhere before it).</summary>
    private static Tensor ItemSeqEndingAtRows() =>
        (arange(Length).unsqueeze(0) < tensor(Rows).unsqueeze(1) + 1).to_type(ScalarType.Int64) * 7;

    private static Tensor Gathered(Tensor full, Tensor rows) =>
        full.gather(1, rows.view(-1, 1, 1).expand(-1, 1, full.shape[2])).squeeze(1);
}

using static TorchSharp.torch;

namespace SeqRec.Models.Layers;

/// <summary>
/// Applies one attention matrix per head, shared by every sequence of the batch (LightSANs' position term):
/// <c>out[b, i, h] = Σ_j probs[h, i, j] · values[b, j, h]</c>, probs [h, L, L], values [B, L, h·dh] → [B, L, h, dh].
/// </summary>
/// <remarks>
/// The product is a GEMM only with the batch folded into the columns ([h, L, B·dh]), a layout the values do not have.
/// Plain autograd copied the whole value tensor into it, kept that copy for backward, and copied the result and its
/// gradient back: three extra tensors of the values' size per layer, each freshly page-faulted at long sequences
/// (210 MB apiece at batch 2048, L = 400). Here both passes work a block of sequences at a time: the rearranged
/// blocks are small enough to be reused from the heap, and backward re-reads the values the caller already keeps.
/// </remarks>
internal sealed class SharedAttentionFunction : autograd.SingleTensorFunction<SharedAttentionFunction>
{
    /// <summary>Elements per rearranged block (16 MiB of float32), below the allocator's mmap threshold.</summary>
    internal const long DefaultBlockElements = 1 << 22;

    public override string Name => nameof(SharedAttentionFunction);

    public static Tensor Apply(Tensor probs, Tensor values, long blockElements = DefaultBlockElements) =>
        apply(probs, values, Math.Max(1, blockElements));

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (probs, values, blockElements) = ((Tensor)vars[0], (Tensor)vars[1], (long)vars[2]);
        ctx.save_for_backward([probs, values]);
        ctx.save_data("blockElements", blockElements);
        var (batch, length, heads, headSize) = Shape(probs, values);
        var output = empty([batch, length, heads, headSize], values.dtype, values.device);
        foreach (var (start, count) in Blocks(batch, length * heads * headSize, blockElements))
        {
            using var scope = NewDisposeScope();
            var columns = probs.matmul(Columns(values.narrow(0, start, count), heads));
            output.narrow(0, start, count).copy_(Rows(columns, count));
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        using var incoming = gradOutput;
        var saved = ctx.get_saved_variables();
        var (probs, values) = (saved[0], saved[1]);
        var blockElements = (long)ctx.get_data("blockElements");
        var (batch, length, heads, headSize) = Shape(probs, values);
        var gradProbs = zeros_like(probs);
        var gradValues = empty([batch, length, heads * headSize], values.dtype, values.device);
        var probsTransposed = probs.transpose(1, 2);
        foreach (var (start, count) in Blocks(batch, length * heads * headSize, blockElements))
        {
            using var blockScope = NewDisposeScope();
            var gradColumns = Columns(gradOutput.narrow(0, start, count).reshape(count, length, heads * headSize), heads);
            gradProbs.add_(gradColumns.bmm(Columns(values.narrow(0, start, count), heads).transpose(1, 2)));
            gradValues.narrow(0, start, count).view(count, length, heads, headSize)
                .copy_(Rows(probsTransposed.matmul(gradColumns), count));
        }
        // The returned tensors must outlive this call: libtorch takes its references after backward returns.
        return [gradProbs.MoveToOuterDisposeScope(), gradValues.MoveToOuterDisposeScope(), null!];
    }

    private static (long Batch, long Length, long Heads, long HeadSize) Shape(Tensor probs, Tensor values) =>
        (values.shape[0], values.shape[1], probs.shape[0], values.shape[2] / probs.shape[0]);

    /// <summary>[n, L, h·dh] → [h, L, n·dh], contiguous (a copy).</summary>
    private static Tensor Columns(Tensor rows, long heads)
    {
        var (count, length, hidden) = (rows.shape[0], rows.shape[1], rows.shape[2]);
        return rows.view(count, length, heads, hidden / heads).permute(2, 1, 0, 3).reshape(heads, length, count * (hidden / heads));
    }

    /// <summary>[h, L, n·dh] → a [n, L, h, dh] view.</summary>
    private static Tensor Rows(Tensor columns, long count)
    {
        var (heads, length) = (columns.shape[0], columns.shape[1]);
        return columns.view(heads, length, count, columns.shape[2] / count).permute(2, 1, 0, 3);
    }

    private static IEnumerable<(long Start, long Count)> Blocks(long batch, long elementsPerSequence, long blockElements)
    {
        var perBlock = Math.Max(1, blockElements / Math.Max(1, elementsPerSequence));
        for (long start = 0; start < batch; start += perBlock) yield return (start, Math.Min(perBlock, batch - start));
    }
}

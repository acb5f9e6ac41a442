using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// LightSANs' attention context, both terms at once, [B, L, h, dh]:
/// <c>out[b, i, h] = Σ_j probs[h, i, j] · values[b, j, h] + Σ_k itemProbs[b, h, i, k] · interests[b, h, k]</c>.
/// The position probabilities [h, L, L] are shared by every sequence of the batch; values are [B, L, h·dh], item
/// probabilities [B, h, L, k], value interests [B, h, k, dh].
/// </summary>
/// <remarks>
/// The position term is a GEMM only with the batch folded into the columns ([h, L, B·dh]), a layout the values do not
/// have. Plain autograd copied the whole value tensor into it, kept that copy for backward, copied the result and its
/// gradient back, and built the item term as one more tensor of the output's size: extra tensors of the values' size
/// per layer, each freshly page-faulted at long sequences (210 MB apiece at batch 2048, L = 400). Here both passes work
/// a block of sequences at a time: the rearranged blocks are small enough to be reused from the heap, only the output
/// and the values' gradient are full size, and backward re-reads the values the caller already keeps.
/// </remarks>
internal sealed class LightContextFunction : ScopedFunction<LightContextFunction>
{
    /// <summary>Elements per rearranged block (16 MiB of float32), below the allocator's mmap threshold.</summary>
    internal const long DefaultBlockElements = 1 << 22;

    public override string Name => nameof(LightContextFunction);

    public static Tensor Apply(Tensor probs, Tensor values, Tensor itemProbs, Tensor interests, long blockElements = DefaultBlockElements) =>
        apply(probs, values, itemProbs, interests, Math.Max(1, blockElements));

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (probs, values, itemProbs, interests) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3]);
        var blockElements = (long)vars[4];
        ctx.save_for_backward([probs, values, itemProbs, interests]);
        ctx.save_data("blockElements", blockElements);
        var (batch, length, heads, headSize) = Shape(probs, values);
        var output = empty([batch, length, heads, headSize], values.dtype, values.device);
        foreach (var (start, count) in RowBlocks.Of(batch, blockElements / Math.Max(1, length * heads * headSize)))
        {
            using var scope = NewDisposeScope();
            var columns = probs.matmul(Columns(values.narrow(0, start, count), heads));
            var itemTerm = itemProbs.narrow(0, start, count).matmul(interests.narrow(0, start, count)); // [n, h, L, dh]
            output.narrow(0, start, count).copy_(Rows(columns, count)).add_(itemTerm.transpose(1, 2));
        }
        return output;
    }

    protected override Tensor?[] Backward(autograd.AutogradContext ctx, Tensor gradOutput, IReadOnlyList<Tensor> saved)
    {
        var (probs, values, itemProbs, interests) = (saved[0], saved[1], saved[2], saved[3]);
        var blockElements = (long)ctx.get_data("blockElements");
        var (batch, length, heads, headSize) = Shape(probs, values);
        var gradProbs = zeros_like(probs);
        var gradValues = empty([batch, length, heads * headSize], values.dtype, values.device);
        var gradItemProbs = empty_like(itemProbs);
        var gradInterests = empty(interests.shape, interests.dtype, interests.device);
        var probsTransposed = probs.transpose(1, 2);
        foreach (var (start, count) in RowBlocks.Of(batch, blockElements / Math.Max(1, length * heads * headSize)))
        {
            using var blockScope = NewDisposeScope();
            var gradBlock = gradOutput.narrow(0, start, count).reshape(count, length, heads * headSize);
            var gradColumns = Columns(gradBlock, heads);
            gradProbs.add_(gradColumns.bmm(Columns(values.narrow(0, start, count), heads).transpose(1, 2)));
            gradValues.narrow(0, start, count).view(count, length, heads, headSize)
                .copy_(Rows(probsTransposed.matmul(gradColumns), count));

            var gradHeads = gradBlock.view(count, length, heads, headSize).transpose(1, 2).contiguous();  // [n, h, L, dh]
            gradItemProbs.narrow(0, start, count).copy_(gradHeads.matmul(interests.narrow(0, start, count).transpose(-2, -1)));
            gradInterests.narrow(0, start, count).copy_(itemProbs.narrow(0, start, count).transpose(-2, -1).matmul(gradHeads));
        }
        return [gradProbs, gradValues, gradItemProbs, gradInterests, null];
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
}

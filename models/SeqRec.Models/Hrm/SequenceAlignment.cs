using static TorchSharp.torch;

namespace SeqRec.Models;

/// <summary>Re-alignment of right-padded sequences, as RecBole's HRM and its <c>inverse_itemseq</c> transform do it.</summary>
internal static class SequenceAlignment
{
    /// <summary>
    /// Each row rotated left by its length: <c>items[len:] + items[:len]</c>, so <c>[1, 2, 3, 0, 0]</c> becomes
    /// <c>[0, 0, 1, 2, 3]</c> (whatever stands after the real items moves to the front unchanged).
    /// </summary>
    public static Tensor LeftPadded(Tensor itemSeq, Tensor itemSeqLen)
    {
        using var scope = NewDisposeScope();
        var width = itemSeq.shape[1];
        var positions = arange(width, dtype: ScalarType.Int64, device: itemSeq.device).unsqueeze(0);
        var index = (positions + itemSeqLen.to_type(ScalarType.Int64).unsqueeze(1)).remainder(width);
        return itemSeq.gather(1, index).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace SeqRec.Data;

/// <summary>
/// A batch as the model consumes it: <see cref="ItemSeq"/> [B, L] int64 left-aligned and right-padded with 0,
/// <see cref="ItemSeqLen"/> [B] int64, <see cref="PosItems"/> [B] int64 targets, and for BPR one negative per sample.
/// <see cref="SampleIndices"/> are the rows' indices in their <see cref="SampleSet"/>.
/// </summary>
public sealed class Batch(Tensor itemSeq, Tensor itemSeqLen, Tensor posItems, Tensor? negItems, int[] sampleIndices) : IDisposable
{
    public Tensor ItemSeq { get; } = itemSeq;
    public Tensor ItemSeqLen { get; } = itemSeqLen;
    public Tensor PosItems { get; } = posItems;
    public Tensor? NegItems { get; } = negItems;
    public int[] SampleIndices { get; } = sampleIndices;
    public int Size => SampleIndices.Length;

    public void Dispose()
    {
        ItemSeq.Dispose();
        ItemSeqLen.Dispose();
        PosItems.Dispose();
        NegItems?.Dispose();
    }
}

namespace SeqRec.Kernels;

/// <summary>
/// One dropout mask, by its stream rather than its bytes: element i is multiplied by
/// <c>DropoutKernels.Multiplier(Seed, i, DropBelow, Scale)</c>, so a fused kernel can draw it (and draw it again in
/// backward) without storing it.
/// </summary>
internal readonly record struct DropoutDraw(ulong Seed, uint DropBelow, float Scale);

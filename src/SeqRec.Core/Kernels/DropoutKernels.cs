using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SeqRec.Data;
using static TorchSharp.torch;

namespace SeqRec.Kernels;

/// <summary>
/// The CPU loops behind <see cref="HashedDropout"/>: draw the keep mask and apply it in one pass over memory, and apply a
/// saved mask to a gradient in one pass (libtorch's float × uint8 multiply, then the rescale, took two passes and two
/// output tensors each way).
/// </summary>
/// <remarks>
/// Each 64 Ki-element chunk gets its own 64-bit key from SplitMix64; within a chunk, element j's 32 bits are two rounds
/// of MurmurHash3's finaliser over (j, key). The keep test uses all 32 bits, so p is honoured to within 2^-32. Kept
/// elements are multiplied by the scale and dropped ones by zero, which is bit for bit what
/// <c>x.mul(keep).mul_(scale)</c> gives.
/// </remarks>
internal static unsafe class DropoutKernels
{
    private const int ChunkElements = 1 << 16;

    /// <summary>Writes the keep mask (1 = keep) for <paramref name="seed"/> into <paramref name="mask"/>, a contiguous uint8 tensor.</summary>
    public static void FillMask(Tensor mask, ulong seed, uint dropBelow)
    {
        var keep = TensorMemory.Address(mask, ScalarType.Byte);
        ForEachChunk(mask.numel(), seed, (start, length, keyLow, keyHigh) =>
            DrawChunk(null, null, (byte*)keep + start, length, keyLow, keyHigh, dropBelow, 0f));
    }

    /// <summary>
    /// Draws the mask into <paramref name="mask"/> and writes <c>input · keep · scale</c> into <paramref name="output"/>
    /// (contiguous float32 tensors of one size; <paramref name="output"/> may be <paramref name="input"/>).
    /// </summary>
    public static void DrawAndApply(Tensor input, Tensor output, Tensor mask, ulong seed, uint dropBelow, float scale)
    {
        var (source, target, keep) = (TensorMemory.Address(input, ScalarType.Float32), TensorMemory.Address(output, ScalarType.Float32), TensorMemory.Address(mask, ScalarType.Byte));
        ForEachChunk(mask.numel(), seed, (start, length, keyLow, keyHigh) =>
            DrawChunk((float*)source + start, (float*)target + start, (byte*)keep + start, length, keyLow, keyHigh, dropBelow, scale));
    }

    /// <summary><c>output = input · keep · scale</c> for a saved mask (contiguous tensors; output may be input).</summary>
    public static void Apply(Tensor input, Tensor mask, Tensor output, float scale)
    {
        var (source, target, keep) = (TensorMemory.Address(input, ScalarType.Float32), TensorMemory.Address(output, ScalarType.Float32), TensorMemory.Address(mask, ScalarType.Byte));
        ForEachChunk(mask.numel(), (_, start, length) =>
            ApplyChunk((float*)source + start, (float*)target + start, (byte*)keep + start, length, scale));
    }

    private delegate void ChunkBody(int chunk, long start, int length);

    private delegate void KeyedChunkBody(long start, int length, uint keyLow, uint keyHigh);

    private static void ForEachChunk(long count, ChunkBody body)
    {
        if (count == 0) return;
        var chunks = (int)((count + ChunkElements - 1) / ChunkElements);
        Parallel.For(0, chunks, chunk =>
        {
            var start = (long)chunk * ChunkElements;
            body(chunk, start, (int)Math.Min(ChunkElements, count - start));
        });
    }

    /// <summary>Each chunk with its own 64-bit key, derived from <paramref name="seed"/> and the chunk's index.</summary>
    private static void ForEachChunk(long count, ulong seed, KeyedChunkBody body) =>
        ForEachChunk(count, (chunk, start, length) =>
        {
            var (low, high) = ChunkKey(seed, chunk);
            body(start, length, low, high);
        });

    private static (uint Low, uint High) ChunkKey(ulong seed, long chunk)
    {
        var key = StableRandom.SplitMix(seed + (ulong)chunk * 0x9E3779B97F4A7C15UL);
        return ((uint)key, (uint)(key >> 32));
    }

    /// <summary>
    /// What the mask drawn for <paramref name="seed"/> multiplies the element at flat <paramref name="index"/> by:
    /// <paramref name="scale"/> if kept, 0 if dropped. The same mask as <see cref="FillMask"/> and
    /// <see cref="DrawAndApply"/>, for kernels that fuse dropout into other work.
    /// </summary>
    public static float Multiplier(ulong seed, long index, uint dropBelow, float scale)
    {
        var (low, high) = ChunkKey(seed, index / ChunkElements);
        return Hash((uint)(index % ChunkElements), low, high) >= dropBelow ? scale : 0f;
    }

    /// <summary><see cref="Multiplier"/> for the eight elements from flat <paramref name="index"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multipliers(ulong seed, long index, uint dropBelow, float scale)
    {
        var chunk = index / ChunkElements;
        if ((index + 7) / ChunkElements != chunk)
            return Vector256.Create(Multiplier(seed, index, dropBelow, scale), Multiplier(seed, index + 1, dropBelow, scale),
                Multiplier(seed, index + 2, dropBelow, scale), Multiplier(seed, index + 3, dropBelow, scale),
                Multiplier(seed, index + 4, dropBelow, scale), Multiplier(seed, index + 5, dropBelow, scale),
                Multiplier(seed, index + 6, dropBelow, scale), Multiplier(seed, index + 7, dropBelow, scale));
        var (low, high) = ChunkKey(seed, chunk);
        var lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create((uint)(index % ChunkElements));
        var kept = Vector256.GreaterThanOrEqual(Hash(lanes, Vector256.Create(low), Vector256.Create(high)), Vector256.Create(dropBelow));
        return (kept & Vector256.Create(scale).AsUInt32()).AsSingle();
    }

    // Straight to optimised code: a tier-0 (unoptimised) Vector256 loop is ten times slower, and a few hundred calls
    // per mask are not always enough for tiered compilation to promote it in time.
    /// <summary>Draws one chunk's mask; when <paramref name="source"/> is not null, also writes the dropped values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DrawChunk(float* source, float* target, byte* keep, int length, uint keyLow, uint keyHigh,
        uint dropBelow, float scale)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
            var low = Vector256.Create(keyLow);
            var high = Vector256.Create(keyHigh);
            var threshold = Vector256.Create(dropBelow);
            var one = Vector256.Create((byte)1);
            var scaleBits = Vector256.Create(scale).AsUInt32();
            for (; j + 32 <= length; j += 32)
            {
                var a = Vector256.GreaterThanOrEqual(Hash(lanes + Vector256.Create((uint)j), low, high), threshold);
                var b = Vector256.GreaterThanOrEqual(Hash(lanes + Vector256.Create((uint)j + 8), low, high), threshold);
                var c = Vector256.GreaterThanOrEqual(Hash(lanes + Vector256.Create((uint)j + 16), low, high), threshold);
                var d = Vector256.GreaterThanOrEqual(Hash(lanes + Vector256.Create((uint)j + 24), low, high), threshold);
                (Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)) & one).Store(keep + j);
                if (source == null) continue;
                // All-ones lanes select the scale's bits, zero lanes give +0: the multiplier is scale or 0.
                (Vector256.Load(source + j) * (a & scaleBits).AsSingle()).Store(target + j);
                (Vector256.Load(source + j + 8) * (b & scaleBits).AsSingle()).Store(target + j + 8);
                (Vector256.Load(source + j + 16) * (c & scaleBits).AsSingle()).Store(target + j + 16);
                (Vector256.Load(source + j + 24) * (d & scaleBits).AsSingle()).Store(target + j + 24);
            }
        }
        for (; j < length; j++)
        {
            var kept = Hash((uint)j, keyLow, keyHigh) >= dropBelow;
            keep[j] = kept ? (byte)1 : (byte)0;
            if (source != null) target[j] = source[j] * (kept ? scale : 0f);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyChunk(float* source, float* target, byte* keep, int length, float scale)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scaleVector = Vector256.Create(scale);
            for (; j + 32 <= length; j += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.Load(keep + j));
                var (m0, m1) = Vector256.Widen(low);
                var (m2, m3) = Vector256.Widen(high);
                (Vector256.Load(source + j) * (Vector256.ConvertToSingle(m0) * scaleVector)).Store(target + j);
                (Vector256.Load(source + j + 8) * (Vector256.ConvertToSingle(m1) * scaleVector)).Store(target + j + 8);
                (Vector256.Load(source + j + 16) * (Vector256.ConvertToSingle(m2) * scaleVector)).Store(target + j + 16);
                (Vector256.Load(source + j + 24) * (Vector256.ConvertToSingle(m3) * scaleVector)).Store(target + j + 24);
            }
        }
        for (; j < length; j++) target[j] = source[j] * (keep[j] * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Hash(Vector256<uint> index, Vector256<uint> keyLow, Vector256<uint> keyHigh) =>
        Finalise(Finalise(index * 0x9E3779B9u + keyLow) ^ keyHigh);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Finalise(Vector256<uint> x)
    {
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= 0x85EBCA6Bu;
        x ^= Vector256.ShiftRightLogical(x, 13);
        x *= 0xC2B2AE35u;
        return x ^ Vector256.ShiftRightLogical(x, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint index, uint keyLow, uint keyHigh) => Finalise(Finalise(index * 0x9E3779B9u + keyLow) ^ keyHigh);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finalise(uint x)
    {
        x ^= x >> 16;
        x *= 0x85EBCA6Bu;
        x ^= x >> 13;
        x *= 0xC2B2AE35u;
        return x ^ (x >> 16);
    }
}

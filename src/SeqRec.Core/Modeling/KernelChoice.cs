namespace SeqRec.Modeling;

/// <summary>
/// Which implementation the shared layers run (<c>trainer.kernels</c>). <see cref="Fused"/>: the fast CPU paths
/// (custom autograd nodes, SIMD kernels, folded attention, recomputation), each guarded so that a tensor they cannot
/// read takes the plain path. <see cref="Plain"/>: the readable libtorch form shaped like RecBole's module, the
/// definition every fused path is tested against.
/// </summary>
public enum KernelChoice { Fused, Plain }

/// <summary>A layer with a fused and a plain path; <see cref="SequentialRecommender.UseKernels"/> sets every one of a model.</summary>
public interface ISelectsKernels
{
    KernelChoice Kernels { get; set; }
}

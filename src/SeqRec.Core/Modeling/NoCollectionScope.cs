using System.Runtime;

namespace SeqRec.Modeling;

/// <summary>
/// Keeps the .NET garbage collector from running while a batch of torch calls is in flight (a training step, an
/// evaluation batch).
/// </summary>
/// <remarks>
/// Why: TorchSharp turns numbers into native <c>Scalar</c> objects on the fly (<c>add_(t)</c> passes alpha 1, the
/// optimizer passes 1 - beta, ...) and hands only their native handle to libtorch. Nothing keeps the managed object
/// alive during the call, so a collection in that window can run its finalizer and free the value under libtorch's
/// feet. Seen once here after thousands of steps: "Expected false to be true ... toFloat" raised from
/// <c>THSTensor_add_</c> in the third epoch of a SASRec run. Objects that die inside the scope cannot be finalized
/// before the next collection, which only happens after the scope ends. A step allocates well under the budget; if it
/// ever allocates more, the runtime collects anyway and the scope simply ends early.
/// </remarks>
public readonly struct NoCollectionScope : IDisposable
{
    private const long BudgetBytes = 32L << 20;

    private readonly bool _started;

    private NoCollectionScope(bool started) => _started = started;

    /// <summary>Whether collections are held off now (false if the runtime refused or another scope is active).</summary>
    public bool IsActive => _started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    public static NoCollectionScope Begin()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new NoCollectionScope(false);
        try
        {
            return new NoCollectionScope(GC.TryStartNoGCRegion(BudgetBytes));
        }
        catch (InvalidOperationException)
        {
            return new NoCollectionScope(false);
        }
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget was exceeded and the runtime collected; the region is already over.
        }
    }
}

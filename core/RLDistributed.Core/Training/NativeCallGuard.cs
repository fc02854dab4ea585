using System.Runtime;

namespace RLDistributed.Core.Training;

/// <summary>
/// Holds off garbage collection while a training step runs its TorchSharp calls. TorchSharp passes the native
/// handle of a <c>Scalar</c> (made implicitly from every number, and for the alpha of every tensor addition) to
/// libtorch without keeping the managed object alive; once the JIT has optimised the caller, a collection caused
/// by another thread (the background checkpoint writer, gRPC) can finalize that Scalar while libtorch still reads
/// it. Measured here: "Expected false to be true ... toFloat at c10/core/Scalar.h:140" inside add_Tensor, in
/// training runs that wrote a checkpoint every step. A no-GC region from a step boundary (where no native call
/// is in flight, so every unreachable Scalar is truly finished with) to the end of the step leaves no collection,
/// hence no finalizer, in between. When the step allocates more than the budget the runtime collects anyway and
/// the guard simply ends; it never changes results.
/// </summary>
public readonly struct NativeCallGuard : IDisposable
{
    /// <summary>Managed bytes a step may allocate (all threads together) before the runtime collects anyway.</summary>
    public const long BudgetBytes = 64L << 20;

    private readonly bool _entered;

    private NativeCallGuard(bool entered) => _entered = entered;

    /// <summary>Starts a no-GC region unless one is already active (nested steps share the outer one).</summary>
    public static NativeCallGuard Enter()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new NativeCallGuard(false);
        try
        {
            return new NativeCallGuard(GC.TryStartNoGCRegion(BudgetBytes));
        }
        catch (InvalidOperationException)
        {
            return new NativeCallGuard(false); // another thread started one a moment ago
        }
    }

    /// <summary>Ends the region if this guard started it and it is still in force.</summary>
    public void Dispose()
    {
        if (!_entered || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region ended by itself (the budget was spent and the runtime collected).
        }
    }
}

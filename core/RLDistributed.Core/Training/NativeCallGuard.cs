using System.Runtime;

namespace RLDistributed.Core.Training;

/// <summary>
/// Holds off garbage collection while a training step runs its TorchSharp calls. TorchSharp passes the native
/// handle of a <c>Scalar</c> (made implicitly from every number, and for the alpha of every tensor addition) to
/// libtorch without keeping the managed object alive; once the JIT has optimised the caller, a collection caused
/// by another thread (the background checkpoint writer, gRPC) can finalize that Scalar while libtorch still reads
/// it. Measured here: "Expected false to be true ... toFloat at c10/core/Scalar.h:140" inside add_Tensor, in
/// training runs that wrote a checkpoint every step, and NaN losses in steps while another thread did nothing but
/// allocate managed arrays. Inside a no-GC region no collection, hence no finalizer, can reach a step.
/// </summary>
/// <remarks>
/// <para>
/// One region spans many steps: a step keeps the region in force while less than an eighth of its budget has been
/// allocated since it started (all threads together), and otherwise renews it: a full collection, then the pending
/// finalizers, then a fresh region. Renewing happens at a step's start, where no native call of the step is in
/// flight, so every unreachable Scalar is truly finished with. A step that allocates more than seven eighths of the
/// budget, or other threads that allocate much during one, can still spend it; the runtime then collects and the
/// region ends until the next step renews it.
/// </para>
/// <para>
/// Why the finalizers are awaited: TorchSharp frees what it never disposed (implicit Scalars, tensors made outside
/// a dispose scope) in finalizers, and with a region in force they fell behind. A toy2d run (batch 256, one thread,
/// 1000 steps) grew from 229 to 1090 MiB resident without the wait and stayed between 238 and 272 MiB with it, in
/// the same run (the same growth came from the earlier one-region-per-step guard; without any guard it stays flat).
/// Renewing after an eighth rather than half of the budget flattened the rest: 223.3 to 223.7 MiB over the run, at
/// 33.0 steps/s against 33.9 without any guard (a GC of the small managed heap every few dozen steps).
/// </para>
/// <para>
/// The region is the runtime's, one per process, so what is known of it is process-wide too (static state, under a
/// lock): several trainers in one process (the ranks of an in-process test) share it, and a step never renews the
/// region while another step is inside, since renewing collects.
/// </para>
/// </remarks>
public readonly struct NativeCallGuard : IDisposable
{
    /// <summary>Managed bytes the process may allocate in one region before the runtime collects anyway.</summary>
    public const long BudgetBytes = 64L << 20;

    /// <summary>A step renews the region once this much of the budget has been allocated (see remarks).</summary>
    public const long RenewAfterBytes = BudgetBytes / 8;

    // Process-wide because the runtime's no-GC region is (see remarks); only touched under Gate.
    private static readonly Lock Gate = new();
    private static int s_inside;
    private static long s_allocatedAtStart;
    private static long s_regionsStarted;

    private readonly bool _counted;

    private NativeCallGuard(bool counted) => _counted = counted;

    /// <summary>How many regions this process has started (for tests and benchmarks).</summary>
    public static long RegionsStarted
    {
        get
        {
            lock (Gate) return s_regionsStarted;
        }
    }

    /// <summary>Enters the no-GC region; renews it first when no other step is inside and an eighth of it is spent.</summary>
    public static NativeCallGuard Enter()
    {
        lock (Gate)
        {
            s_inside++;
            if (s_inside > 1) return new NativeCallGuard(true);
            var inForce = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (inForce && GC.GetTotalAllocatedBytes() - s_allocatedAtStart < RenewAfterBytes) return new NativeCallGuard(true);
            if (inForce) EndRegion();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            try
            {
                if (GC.TryStartNoGCRegion(BudgetBytes))
                {
                    s_regionsStarted++;
                    s_allocatedAtStart = GC.GetTotalAllocatedBytes();
                }
            }
            catch (InvalidOperationException)
            {
                // Another region is in force after all (started outside this guard); the step runs inside it.
            }
            return new NativeCallGuard(true);
        }
    }

    /// <summary>Leaves the region (it stays in force for the next step).</summary>
    public void Dispose()
    {
        if (!_counted) return;
        lock (Gate) s_inside--;
    }

    private static void EndRegion()
    {
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region ended by itself between the check and here (the budget was spent and the runtime collected).
        }
    }
}

using System.Diagnostics;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// The worker's <c>join</c> span: the call that waits for a generation to form. Its context travels with the
/// Join call, so the coordinator's <c>rendezvous</c> span of this worker is its child in the same trace.
/// </summary>
public static class JoinTelemetry
{
    /// <summary>Opens the span of a join by <paramref name="workerId"/> holding the state of <paramref name="heldStep"/>.</summary>
    public static Activity? Begin(string workerId, long heldStep)
    {
        var span = WorkerTelemetry.Source.StartActivity("join");
        span?.SetTag("rld.worker_id", workerId);
        span?.SetTag("rld.held_step", heldStep);
        return span;
    }

    /// <summary>Adds the seat the coordinator gave.</summary>
    public static void Seated(Activity? span, Assignment assignment)
    {
        span?.SetTag("rld.run_id", assignment.RunId);
        span?.SetTag("rld.generation", assignment.Generation);
        span?.SetTag("rld.rank", assignment.Rank);
        span?.SetTag("rld.world_size", assignment.WorldSize);
    }
}

using System.Diagnostics;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Telemetry;

/// <summary>The <c>train.step</c> span of one step and the metrics of its outcome.</summary>
public static class StepTelemetry
{
    /// <summary>
    /// Opens the step's span (a root: one trace per step, so that a sampler keeps or drops whole steps). The
    /// report and checkpoint calls made inside it carry its context to the coordinator.
    /// </summary>
    public static Activity? Begin(Assignment assignment, long step)
    {
        var span = WorkerTelemetry.Source.StartActivity("train.step");
        if (span is null) return null;
        span.SetTag("rld.run_id", assignment.RunId);
        span.SetTag("rld.step", step + 1);
        span.SetTag("rld.generation", assignment.Generation);
        span.SetTag("rld.rank", assignment.Rank);
        span.SetTag("rld.world_size", assignment.WorldSize);
        return span;
    }

    /// <summary>Records the step's duration, loss, per-level energy gap and throughput.</summary>
    public static void Record(Activity? span, Assignment assignment, DistributedStep done, int globalBatch)
    {
        var rank = new KeyValuePair<string, object?>("rank", assignment.Rank);
        WorkerTelemetry.StepDuration.Record(done.StepSeconds, rank);
        WorkerTelemetry.Loss.Record(done.Statistics.Loss, rank);
        if (done.StepSeconds > 0) WorkerTelemetry.SamplesPerSecond.Record(globalBatch / done.StepSeconds, rank);
        WorkerTelemetry.Generation.Record(assignment.Generation, rank);
        for (var level = 0; level < done.Statistics.Count.Length; level++)
        {
            var gap = done.Statistics.EnergyGap(level);
            if (!double.IsNaN(gap)) WorkerTelemetry.EnergyGap.Record(gap, rank, new KeyValuePair<string, object?>("level", level));
        }
        span?.SetTag("rld.loss", done.Statistics.Loss);
        span?.SetTag("rld.step_seconds", done.StepSeconds);
    }
}

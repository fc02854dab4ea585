using System.Diagnostics.Metrics;
using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>
/// The coordinator's instruments, read from the run state when a reader collects (a Prometheus scrape, an OTLP
/// export): workers alive, generation, membership changes and restarts, the last combined step and its loss,
/// energy gap per level, throughput, each rank's step and compute time, and stragglers. One meter per
/// coordinator, disposed with it, so that no callback outlives its run.
/// </summary>
public sealed class CoordinatorMetrics : IDisposable
{
    private readonly Meter _meter = new(Telemetry.CoordinatorTelemetry.Name);

    /// <summary>Registers the observable instruments of <paramref name="run"/>.</summary>
    public CoordinatorMetrics(RunState run)
    {
        var observer = run.Observer;
        _meter.CreateObservableGauge("rld.workers.alive", () => run.Status().Workers.Count(w => w.Alive), description: "Workers whose heartbeats arrive");
        _meter.CreateObservableGauge("rld.run.generation", () => run.Status().Generation, description: "The current generation (bumped by every membership change)");
        _meter.CreateObservableCounter("rld.run.membership_changes", () => (long)run.Status().MembershipChanges, description: "Membership changes since the run started");
        _meter.CreateObservableCounter("rld.run.restarts", () => (long)run.Status().Restarts, description: "Workers that came back after being declared dead");
        _meter.CreateObservableGauge("rld.run.step", () => run.Status().LastStep, description: "The last step every rank has reported");
        _meter.CreateObservableGauge("rld.run.loss", () => run.Status().LastLoss, description: "The global DRL loss of the last combined step");
        _meter.CreateObservableGauge("rld.run.steps_per_second", () => observer.StepsPerSecond, null, "Combined steps per second over the last 20 steps");
        _meter.CreateObservableGauge("rld.run.samples_per_second", () => observer.SamplesPerSecond, null, "Examples per second of the whole run");
        _meter.CreateObservableGauge("rld.checkpoint.last_step", () => run.Status().LastCheckpointStep, description: "Step of the last committed checkpoint");
        _meter.CreateObservableGauge("rld.run.energy_gap", () => observer.LastEnergyGap()
            .Select((gap, level) => new Measurement<double>(gap, new KeyValuePair<string, object?>("level", level)))
            .Where(m => !double.IsNaN(m.Value)), description: "Mean positive minus negative energy per level in the last combined step");
        _meter.CreateObservableGauge("rld.rank.step_seconds", () => observer.Ranks()
            .Select(r => new Measurement<double>(r.StepSeconds, new KeyValuePair<string, object?>("rank", r.Rank))), "s", "Each rank's last step time");
        _meter.CreateObservableGauge("rld.rank.compute_seconds", () => observer.Ranks()
            .Select(r => new Measurement<double>(r.ComputeSeconds, new KeyValuePair<string, object?>("rank", r.Rank))), "s", "Each rank's last step time less the all-reduce");
        _meter.CreateObservableGauge("rld.rank.straggler", () => observer.Ranks()
            .Select(r => new Measurement<int>(r.Straggler ? 1 : 0, new KeyValuePair<string, object?>("rank", r.Rank))), description: "1 while a rank is flagged as a straggler");
        _meter.CreateObservableCounter("rld.stragglers.detected", () => observer.StragglerDetections, description: "Times a rank was flagged as a straggler");
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

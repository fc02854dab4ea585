using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// The worker's spans (<c>train.step</c>, <c>allreduce</c>) and instruments. Every instrument carries the rank
/// (and the level where there is one), so a Prometheus query can tell the ranks apart.
/// </summary>
public static class WorkerTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "RLDistributed.Worker";

    /// <summary>The worker's spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The worker's instruments.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Wall time of one step on this rank (compute, all-reduce, update).</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("rld.step.duration", "s", "Wall time of one training step on this rank");

    /// <summary>This rank's share of the global loss (the ranks' shares add up to the step's loss).</summary>
    public static readonly Gauge<double> Loss = Meter.CreateGauge<double>("rld.train.loss", description: "This rank's share of the last step's DRL loss");

    /// <summary>Mean F(pos) − F(neg) of this rank's examples at each level in the last step.</summary>
    public static readonly Gauge<double> EnergyGap = Meter.CreateGauge<double>("rld.train.energy_gap", description: "Mean positive minus negative energy per level in the last step");

    /// <summary>Global examples per second (the global batch over this rank's step time).</summary>
    public static readonly Gauge<double> SamplesPerSecond = Meter.CreateGauge<double>("rld.train.samples_per_second", null, "Global batch over the step time");

    /// <summary>nccl-tests bus bandwidth of the last all-reduce: the bytes this rank sent over the time.</summary>
    public static readonly Gauge<double> AllReduceBusBandwidth = Meter.CreateGauge<double>("rld.allreduce.busbw", "By/s", "Bus bandwidth of the last gradient all-reduce");

    /// <summary>Wall time of one gradient all-reduce (waiting for the slowest rank included).</summary>
    public static readonly Histogram<double> AllReduceDuration = Meter.CreateHistogram<double>("rld.allreduce.duration", "s", "Wall time of one gradient all-reduce");

    /// <summary>All-reduces still running past their deadline (each counted once).</summary>
    public static readonly Counter<long> CollectiveStuck = Meter.CreateCounter<long>("rld.collective.stuck", description: "Collectives that ran past their deadline");

    /// <summary>The generation this worker trains in.</summary>
    public static readonly Gauge<long> Generation = Meter.CreateGauge<long>("rld.worker.generation", description: "The generation this worker trains in");
}

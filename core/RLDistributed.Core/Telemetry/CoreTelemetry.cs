using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RLDistributed.Core.Telemetry;

/// <summary>
/// The spans and instruments of the method itself (design.md, Observability): <c>langevin</c>,
/// <c>forward_backward</c>, <c>optimizer</c> and <c>checkpoint.save</c>, children of the worker's
/// <c>train.step</c>. Only the BCL's ActivitySource and Meter: core depends on no telemetry package, and with
/// no listener a span costs one null check.
/// </summary>
public static class CoreTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "RLDistributed.Core";

    /// <summary>The core's spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The core's instruments.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Seconds to write one checkpoint (files, fsyncs, renames) on the background task.</summary>
    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>("rld.checkpoint.duration", "s", "Time to write one checkpoint durably");
}

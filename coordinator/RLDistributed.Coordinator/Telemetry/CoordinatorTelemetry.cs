using System.Diagnostics;

namespace RLDistributed.Coordinator.Telemetry;

/// <summary>
/// The coordinator's spans: <c>rendezvous</c> (a join waiting for its generation), <c>membership.change</c>,
/// <c>checkpoint.commit</c> and <c>step.report</c>. The ones made while serving a worker's call are children of
/// that call's server span, whose parent is the worker's span (W3C context over gRPC): one step, one trace.
/// </summary>
public static class CoordinatorTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "RLDistributed.Coordinator";

    /// <summary>The coordinator's spans.</summary>
    public static readonly ActivitySource Source = new(Name);
}

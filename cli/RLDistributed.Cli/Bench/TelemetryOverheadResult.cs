namespace RLDistributed.Cli.Bench;

/// <summary>
/// Step times without telemetry and with telemetry as a worker has it when no OTLP endpoint is set, measured in
/// interleaved blocks, and the telemetry work of one step timed alone.
/// </summary>
public sealed record TelemetryOverheadResult(
    string Preset, int Batch, int Blocks, int StepsPerBlock,
    double MedianStepOffMs, double MedianStepOnMs, double MedianPairedOverhead, double IsolatedMicrosecondsPerStep)
{
    /// <summary>The telemetry of one step alone, as a share of a step without telemetry.</summary>
    public double IsolatedShare => IsolatedMicrosecondsPerStep / 1000 / MedianStepOffMs;
}

namespace RLDistributed.Hosting.Telemetry;

/// <summary>
/// Calls that would drown a trace backend without telling anything: the heartbeat (one per worker per second,
/// each its own trace) and scrapes of the metrics and status endpoints.
/// </summary>
public static class TelemetryFilters
{
    /// <summary>True for a request path that is not traced.</summary>
    public static bool IsNoise(string? path) =>
        path is not null && (path.EndsWith("/Heartbeat", StringComparison.Ordinal) || path.EndsWith("/GetStatus", StringComparison.Ordinal)
            || path.StartsWith("/metrics", StringComparison.Ordinal) || path.StartsWith("/status", StringComparison.Ordinal)
            || path == "/" || path.StartsWith("/samples", StringComparison.Ordinal));
}

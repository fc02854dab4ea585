using Microsoft.Extensions.Logging;

namespace RLDistributed.Cli.Hosting;

/// <summary>What a service role says about its telemetry.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "{Role} serves metrics on {MetricsUrl}metrics")]
    public static partial void MetricsServed(ILogger logger, string role, Uri metricsUrl);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "status page on {StatusUrl}")]
    public static partial void StatusPageServed(ILogger logger, Uri statusUrl);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "{Role} exports traces and metrics over OTLP as {ServiceName}")]
    public static partial void ExportingOtlp(ILogger logger, string role, string serviceName);
}

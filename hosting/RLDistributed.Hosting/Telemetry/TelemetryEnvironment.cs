namespace RLDistributed.Hosting.Telemetry;

/// <summary>
/// What the standard OpenTelemetry environment says about export. The OTLP exporter reads the OTEL_EXPORTER_OTLP_*
/// variables itself; this only decides whether there is an exporter at all: no endpoint, no exporter, so a run
/// without a backend pays for nothing but in-process spans and counters.
/// </summary>
public static class TelemetryEnvironment
{
    /// <summary>The variable that names the OTLP receiver (e.g. http://127.0.0.1:4317).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The variable that names the service (overrides the role's default name).</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>True when an OTLP endpoint is configured for traces, metrics or both.</summary>
    public static bool ExportsOtlp =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));

    /// <summary>The service name: OTEL_SERVICE_NAME, else <paramref name="fallback"/>.</summary>
    public static string ServiceName(string fallback) =>
        Environment.GetEnvironmentVariable(ServiceNameVariable) is { Length: > 0 } name ? name : fallback;
}

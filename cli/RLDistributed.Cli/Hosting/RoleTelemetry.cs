using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RLDistributed.Hosting.Telemetry;

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// A service role's telemetry for the life of the command: the OpenTelemetry providers (OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set) and, when a metrics port is configured, the HTTP/1.1 endpoint with
/// /metrics and the role's extra routes.
/// </summary>
public sealed class RoleTelemetry : IAsyncDisposable
{
    private RoleTelemetry(RldTelemetry telemetry, ObservabilityEndpoint? endpoint)
    {
        Telemetry = telemetry;
        Endpoint = endpoint;
    }

    /// <summary>The providers.</summary>
    public RldTelemetry Telemetry { get; }

    /// <summary>The metrics endpoint (null: no metrics port).</summary>
    public ObservabilityEndpoint? Endpoint { get; }

    /// <summary>The providers for <paramref name="role"/> (its service name is rld-ROLE) with its sources and meters.</summary>
    public static RldTelemetry Providers(string role, params string[] names) => RldTelemetry.Start($"rld-{role}", names, names);

    /// <summary>Starts the metrics endpoint on <paramref name="host"/>:<paramref name="metricsPort"/> when a port is given, and logs where.</summary>
    /// <exception cref="CliUsageException">the port cannot be bound.</exception>
    public static async Task<RoleTelemetry> ServeAsync(RldTelemetry telemetry, string role, string host, int? metricsPort, Action<IEndpointRouteBuilder>? routes, ILogger logger, CancellationToken cancellationToken)
    {
        if (telemetry.ExportsOtlp) TelemetryLog.ExportingOtlp(logger, role, telemetry.ServiceName);
        if (metricsPort is not { } port) return new RoleTelemetry(telemetry, null);
        try
        {
            var endpoint = await ObservabilityEndpoint.StartAsync(host, port, telemetry, routes, cancellationToken).ConfigureAwait(false);
            TelemetryLog.MetricsServed(logger, role, endpoint.Address);
            return new RoleTelemetry(telemetry, endpoint);
        }
        catch (IOException e)
        {
            throw new CliUsageException("--metrics-port", e.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Endpoint is not null) await Endpoint.DisposeAsync().ConfigureAwait(false);
        Telemetry.Dispose();
    }
}

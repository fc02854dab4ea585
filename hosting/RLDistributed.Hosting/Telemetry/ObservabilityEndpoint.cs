using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RLDistributed.Hosting.Telemetry;

/// <summary>
/// A read-only HTTP/1.1 endpoint beside a role's gRPC port: GET /metrics (Prometheus text) and whatever routes
/// the role adds (the coordinator's status page). Browsers and Prometheus speak HTTP/1.1, the gRPC ports speak
/// cleartext HTTP/2 only, hence a port of its own (Rld__Coordinator__MetricsPort, Rld__Worker__MetricsPort).
/// Only GET routes are mapped: nothing here can change a run.
/// </summary>
public sealed class ObservabilityEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ObservabilityEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>http://host:port/ the endpoint serves.</summary>
    public Uri Address { get; }

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> (0: any free port) and starts serving.</summary>
    /// <exception cref="IOException">the port cannot be bound.</exception>
    public static async Task<ObservabilityEndpoint> StartAsync(string host, int port, RldTelemetry telemetry, Action<IEndpointRouteBuilder>? routes, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddEmbeddedHostLifetime();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(host), port, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics", telemetry.Metrics, null, null);
        routes?.Invoke(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot serve metrics on {host}:{port}: {e.Message}", e);
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ObservabilityEndpoint(app, bound);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

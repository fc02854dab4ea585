using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RLDistributed.Coordinator.Grpc;
using RLDistributed.Coordinator.Health;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Hosting;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Coordinator.Hosting;

/// <summary>Builds and starts the coordinator's gRPC host (HTTP/2 on the configured address; TLS and the run token when configured).</summary>
public static class CoordinatorHost
{
    /// <summary>Validates the options, binds, starts serving, and logs "coordinator listening on ADDRESS".</summary>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">an option is invalid (the message names it).</exception>
    /// <exception cref="EndpointBindException">the address cannot be bound.</exception>
    public static async Task<RunningCoordinator> StartAsync(CoordinatorOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        options.Validate();
        if (!IPAddress.TryParse(options.Host, out var address))
            throw new System.ComponentModel.DataAnnotations.ValidationException($"Host '{options.Host}' is not an IP address");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<RunState>();
        builder.Services.AddHostedService<LivenessMonitor>();
        builder.Services.AddRunSecurity(options.Security, CoordinatorConstants.MaxReceiveMessageBytes);
        builder.Services.AddGrpc();
        builder.Services.AddEmbeddedHostLifetime();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            options.Security.ConfigureEndpoint(listen);
        }));
        var app = builder.Build();
        app.MapGrpcService<CoordinatorService>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new EndpointBindException($"{options.Host}:{options.Port}", e);
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var run = app.Services.GetRequiredService<RunState>();
        CoordinatorLog.Listening(loggers.CreateLogger<RunState>(), bound.ToString().TrimEnd('/'), options.RunId, options.Workers);
        return new RunningCoordinator(app, bound, run);
    }
}

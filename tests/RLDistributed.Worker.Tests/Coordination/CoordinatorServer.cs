using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>A real Kestrel server (127.0.0.1, a free port, HTTP/2 only) serving one coordinator stand-in instance.</summary>
internal sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CoordinatorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<CoordinatorServer> StartAsync<TService>(TService coordinator) where TService : Protos.V1.Coordinator.CoordinatorBase
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(coordinator);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return new CoordinatorServer(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

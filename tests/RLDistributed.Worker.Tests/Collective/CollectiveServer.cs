using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>A real Kestrel server (127.0.0.1, a free port, HTTP/2 only) serving <see cref="CollectiveService"/>.</summary>
internal sealed class CollectiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CollectiveServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<CollectiveServer> StartAsync(CollectiveMailbox mailbox, RingAllReduceOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRingCollective(mailbox, options);
        var app = builder.Build();
        app.MapGrpcService<CollectiveService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new CollectiveServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

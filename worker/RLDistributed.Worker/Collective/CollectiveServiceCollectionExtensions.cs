using Microsoft.Extensions.DependencyInjection.Extensions;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace RLDistributed.Worker.Collective;

/// <summary>Registers what a host needs to serve the grpc ring transport.</summary>
public static class CollectiveServiceCollectionExtensions
{
    private const int ConnectionWindowBytes = 16 * 1024 * 1024;
    private const int StreamWindowBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Adds gRPC (with a receive limit above one chunk), larger Kestrel HTTP/2 windows, a Kestrel
    /// memory pool of 64 KiB blocks (for every endpoint of the host) and <paramref name="mailbox"/>
    /// as a singleton; the host then
    /// calls <c>app.MapGrpcService&lt;CollectiveService&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddRingCollective(
        this IServiceCollection services, CollectiveMailbox mailbox, RingAllReduceOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(mailbox);
        services.TryAddSingleton<PublishedState>();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = GrpcRingTransport.MaxMessageBytes(options.ChunkFloats));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CollectiveService>, CollectiveMethodProvider>());

        // 64 KiB read blocks instead of 4 KiB: host-wide, but every Kestrel endpoint of a worker gains from it.
        services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();

        // Windows of 16 MiB (connection) and 8 MiB (stream) keep several 1 MiB chunks in flight (perf-notes.md).
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.Http2.InitialConnectionWindowSize = ConnectionWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = StreamWindowBytes;
        });
        return services;
    }
}

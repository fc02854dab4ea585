using Microsoft.Extensions.DependencyInjection;

namespace RLDistributed.Worker.Collective;

/// <summary>Registers what a host needs to serve the grpc ring transport.</summary>
public static class CollectiveServiceCollectionExtensions
{
    /// <summary>
    /// Adds gRPC (with a receive limit above one chunk) and <paramref name="mailbox"/> as a singleton; the host then
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
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = GrpcRingTransport.MaxMessageBytes(options.ChunkFloats));
        return services;
    }
}

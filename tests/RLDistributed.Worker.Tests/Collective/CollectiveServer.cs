using Microsoft.AspNetCore.Builder;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Tests.Support;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>A loopback Kestrel server serving <see cref="CollectiveService"/>.</summary>
internal static class CollectiveServer
{
    public static Task<LoopbackGrpcServer> StartAsync(CollectiveMailbox mailbox, RingAllReduceOptions options) =>
        LoopbackGrpcServer.StartAsync(services => services.AddRingCollective(mailbox, options), app => app.MapGrpcService<CollectiveService>());
}

using System.Net;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>N ranks of one ring on loopback, each with its own real transport endpoints.</summary>
internal sealed class Ring : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _resources = [];

    private Ring(int worldSize) => Transports = new IRingTransport[worldSize];

    public IRingTransport[] Transports { get; }

    public static RingIdentity Identity(int rank, int worldSize) => new("run-a", 7, rank, worldSize);

    public static async Task<Ring> CreateAsync(RingTransportKind kind, int worldSize, RingAllReduceOptions options)
    {
        var ring = new Ring(worldSize);
        if (kind == RingTransportKind.Tcp)
        {
            var listeners = Enumerable.Range(0, worldSize).Select(_ => new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0))).ToArray();
            try
            {
                var connecting = Enumerable.Range(0, worldSize).Select(rank => TcpRingTransport.ConnectAsync(
                    listeners[rank], listeners[(rank + 1) % worldSize].LocalEndPoint, Identity(rank, worldSize), options, CancellationToken.None));
                var transports = await Task.WhenAll(connecting);
                transports.CopyTo(ring.Transports, 0);
            }
            finally
            {
                foreach (var listener in listeners)
                {
                    listener.Dispose();
                }
            }
        }
        else
        {
            var mailboxes = Enumerable.Range(0, worldSize).Select(_ => new CollectiveMailbox()).ToArray();
            for (var rank = 0; rank < worldSize; rank++)
            {
                mailboxes[rank].Open(Identity(rank, worldSize));
            }

            var servers = await Task.WhenAll(mailboxes.Select(m => CollectiveServer.StartAsync(m, options)));
            ring._resources.AddRange(servers);
            for (var rank = 0; rank < worldSize; rank++)
            {
                ring.Transports[rank] = new GrpcRingTransport(
                    servers[(rank + 1) % worldSize].Address, mailboxes[rank], Identity(rank, worldSize), options);
            }
        }

        return ring;
    }

    public async ValueTask DisposeAsync()
    {
        // Transports first: a grpc transport completes its push call while the neighbour's server still runs.
        await Task.WhenAll(Transports.Where(t => t is not null).Select(t => t.DisposeAsync().AsTask()));
        foreach (var resource in _resources)
        {
            await resource.DisposeAsync();
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Hosting;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// N ranks of a ring on 127.0.0.1 inside this process, built exactly as workers build theirs (the same
/// endpoints, the same assignment, the same transports), for measuring the all-reduce alone.
/// </summary>
public sealed class LoopbackRing : IAsyncDisposable
{
    private readonly List<CollectiveEndpoints> _endpoints = [];
    private readonly List<IRingTransport> _transports = [];

    /// <summary>Each rank's all-reduce.</summary>
    public List<RingAllReduce> Ranks { get; } = [];

    /// <summary>Starts N endpoints and connects the ring over <paramref name="transport"/> (tcp or grpc).</summary>
    public static async Task<LoopbackRing> StartAsync(int worldSize, string transport, CancellationToken cancellationToken)
    {
        var ring = new LoopbackRing();
        var options = new WorkerOptions { Coordinator = new Uri("http://127.0.0.1:1"), RunId = "bench" };
        for (var rank = 0; rank < worldSize; rank++)
            ring._endpoints.Add(await CollectiveEndpoints.StartAsync(options, NullLoggerFactory.Instance, cancellationToken).ConfigureAwait(false));
        var peers = ring._endpoints.Select((e, rank) => new Peer { Rank = rank, WorkerId = $"bench-{rank}", CollectiveEndpoint = e.CollectiveEndpoint, DataEndpoint = e.DataEndpoint }).ToArray();
        var connecting = ring._endpoints.Select((endpoint, rank) =>
        {
            var assignment = new Assignment { RunId = "bench", Generation = 1, Rank = rank, WorldSize = worldSize, Transport = transport };
            assignment.Peers.AddRange(peers);
            return endpoint.ConnectAllReduceAsync(assignment, cancellationToken);
        });
        foreach (var (t, allReduce) in await Task.WhenAll(connecting).ConfigureAwait(false))
        {
            if (t is not null) ring._transports.Add(t);
            ring.Ranks.Add(allReduce);
        }
        return ring;
    }

    /// <summary>One all-reduce on every rank at once; returns when all have finished.</summary>
    public Task AllReduceAsync(float[][] buffers, CancellationToken cancellationToken) =>
        Task.WhenAll(Ranks.Select((rank, i) => rank.AllReduceAsync(buffers[i], cancellationToken)));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports) await transport.DisposeAsync().ConfigureAwait(false);
        foreach (var endpoint in _endpoints) await endpoint.DisposeAsync().ConfigureAwait(false);
    }
}

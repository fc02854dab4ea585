using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Hosting;

namespace RLDistributed.Worker.Tests.Hosting;

public sealed class CollectiveEndpointsTests
{
    [Fact]
    public async Task StartAsync_NoAdvertiseHost_AdvertisesTheBoundHost()
    {
        await using var endpoints = await CollectiveEndpoints.StartAsync(Options("w0"), NullLoggerFactory.Instance, CancellationToken.None);

        Assert.StartsWith("127.0.0.1:", endpoints.CollectiveEndpoint, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", endpoints.DataEndpoint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AdvertiseHost_AdvertisesTheNameWithTheBoundPorts()
    {
        await using var endpoints = await CollectiveEndpoints.StartAsync(Options("w0") with { AdvertiseHost = "localhost" }, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.Matches("^localhost:[1-9][0-9]*$", endpoints.CollectiveEndpoint);
        Assert.Matches("^localhost:[1-9][0-9]*$", endpoints.DataEndpoint);
        Assert.NotEqual(endpoints.CollectiveEndpoint, endpoints.DataEndpoint);
    }

    [Fact]
    public async Task ConnectAllReduceAsync_PeersAdvertisedByName_TcpRingSumsAcrossBothRanks()
    {
        // Arrange: two workers that advertise a DNS name, as StatefulSet pods do.
        await using var first = await CollectiveEndpoints.StartAsync(Options("w0") with { AdvertiseHost = "localhost" }, NullLoggerFactory.Instance, CancellationToken.None);
        await using var second = await CollectiveEndpoints.StartAsync(Options("w1") with { AdvertiseHost = "localhost" }, NullLoggerFactory.Instance, CancellationToken.None);
        Peer[] peers =
        [
            new() { Rank = 0, WorkerId = "w0", CollectiveEndpoint = first.CollectiveEndpoint, DataEndpoint = first.DataEndpoint },
            new() { Rank = 1, WorkerId = "w1", CollectiveEndpoint = second.CollectiveEndpoint, DataEndpoint = second.DataEndpoint },
        ];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Act
        var connecting = await Task.WhenAll(
            first.ConnectAllReduceAsync(Assignment(0, peers), timeout.Token),
            second.ConnectAllReduceAsync(Assignment(1, peers), timeout.Token));
        float[] a = [1, 2, 3, 4], b = [10, 20, 30, 40];
        try
        {
            await Task.WhenAll(
                connecting[0].Ring.AllReduceAsync(a, timeout.Token),
                connecting[1].Ring.AllReduceAsync(b, timeout.Token));
        }
        finally
        {
            foreach (var (transport, _) in connecting)
            {
                if (transport is not null) await transport.DisposeAsync();
            }
        }

        // Assert
        Assert.Equal([11f, 22f, 33f, 44f], a);
        Assert.Equal(a, b);
    }

    private static WorkerOptions Options(string workerId) => new()
    {
        Coordinator = new Uri("http://127.0.0.1:1"),
        RunId = "run-a",
        WorkerId = workerId,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    private static Assignment Assignment(int rank, Peer[] peers)
    {
        var assignment = new Assignment { RunId = "run-a", Generation = 1, Rank = rank, WorldSize = 2, Transport = "tcp" };
        assignment.Peers.AddRange(peers);
        return assignment;
    }
}

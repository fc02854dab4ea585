using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Hosting;

namespace RLDistributed.Worker.Tests.Security;

/// <summary>
/// Two workers with the run token and mutual TLS: the ring sums over both transports (SslStream for tcp,
/// https for grpc), and a worker whose certificate comes from another CA cannot form the ring.
/// </summary>
public sealed class SecureRingTests(TwoAuthorities authorities) : IClassFixture<TwoAuthorities>
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("grpc")]
    public async Task AllReduce_TokenAndMutualTls_SumsAcrossBothRanks(string transport)
    {
        var security = authorities.Security("run", "run");
        await using var first = await CollectiveEndpoints.StartAsync(Options("w0", security), NullLoggerFactory.Instance, CancellationToken.None);
        await using var second = await CollectiveEndpoints.StartAsync(Options("w1", security), NullLoggerFactory.Instance, CancellationToken.None);

        var (a, b) = await AllReduceAsync(first, second, transport, TimeSpan.FromSeconds(30));

        Assert.Equal([11f, 22f, 33f, 44f], a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("grpc")]
    public async Task AllReduce_NeighbourWithACertificateOfAnotherCa_CannotFormTheRing(string transport)
    {
        var run = authorities.Security("run", "run");
        // The right token and the run's CA as trust, but its own certificate signed by another CA.
        var intruder = authorities.Security("other", "run");
        await using var first = await CollectiveEndpoints.StartAsync(Options("w0", run), NullLoggerFactory.Instance, CancellationToken.None);
        await using var second = await CollectiveEndpoints.StartAsync(Options("w1", intruder), NullLoggerFactory.Instance, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => AllReduceAsync(first, second, transport, TimeSpan.FromSeconds(5)));
    }

    private static async Task<(float[] A, float[] B)> AllReduceAsync(CollectiveEndpoints first, CollectiveEndpoints second, string transport, TimeSpan timeout)
    {
        Peer[] peers =
        [
            new() { Rank = 0, WorkerId = "w0", CollectiveEndpoint = first.CollectiveEndpoint, DataEndpoint = first.DataEndpoint },
            new() { Rank = 1, WorkerId = "w1", CollectiveEndpoint = second.CollectiveEndpoint, DataEndpoint = second.DataEndpoint },
        ];
        using var deadline = new CancellationTokenSource(timeout);
        var connecting = await Task.WhenAll(
            first.ConnectAllReduceAsync(Assignment(0, peers, transport), deadline.Token),
            second.ConnectAllReduceAsync(Assignment(1, peers, transport), deadline.Token));
        float[] a = [1, 2, 3, 4], b = [10, 20, 30, 40];
        try
        {
            await Task.WhenAll(connecting[0].Ring.AllReduceAsync(a, deadline.Token), connecting[1].Ring.AllReduceAsync(b, deadline.Token));
        }
        finally
        {
            foreach (var (connection, _) in connecting)
            {
                if (connection is not null) await connection.DisposeAsync();
            }
        }
        return (a, b);
    }

    private static WorkerOptions Options(string workerId, RunSecurity security) => new()
    {
        Coordinator = new Uri("https://127.0.0.1:1"),
        RunId = "run-a",
        WorkerId = workerId,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Security = security,
    };

    private static Assignment Assignment(int rank, Peer[] peers, string transport)
    {
        var assignment = new Assignment { RunId = "run-a", Generation = 1, Rank = rank, WorldSize = 2, Transport = transport };
        assignment.Peers.AddRange(peers);
        return assignment;
    }
}

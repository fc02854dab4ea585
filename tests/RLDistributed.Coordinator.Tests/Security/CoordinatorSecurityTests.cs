using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Coordinator.Hosting;
using RLDistributed.Coordinator.Tests.Rendezvous;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Security;

/// <summary>The coordinator's endpoint with a run token: who gets in, what is refused, and that refusals change nothing.</summary>
public sealed class CoordinatorSecurityTests
{
    private static readonly RunToken Token = RunToken.From("coordinator-test-token-0123456789", "test");

    [Fact]
    public async Task Calls_WithoutOrWithAnotherToken_AreUnauthenticated_WithTheTokenAreServed()
    {
        await using var coordinator = await StartAsync();

        foreach (var security in new[] { RunSecurity.None, new RunSecurity(RunToken.Generate(), null) })
        {
            using var channel = Channel(coordinator, security);
            var refused = await Assert.ThrowsAsync<RpcException>(() => Client(channel).GetStatusAsync(new StatusRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            var join = await Assert.ThrowsAsync<RpcException>(() => Client(channel).JoinAsync(CoordinatorFixture.Join("intruder", 41000)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, join.StatusCode);
        }

        using var insider = Channel(coordinator, new RunSecurity(Token, null));
        var status = await Client(insider).GetStatusAsync(new StatusRequest());
        Assert.Equal("waiting", status.State);
        Assert.Empty(status.Workers);
    }

    [Fact]
    public async Task ReportStep_MalformedFields_InvalidArgument_AndNothingIsRecorded()
    {
        await using var coordinator = await StartAsync();
        using var channel = Channel(coordinator, new RunSecurity(Token, null));
        var client = Client(channel);
        await Task.WhenAll(client.JoinAsync(CoordinatorFixture.Join("w0", 41000)).ResponseAsync, client.JoinAsync(CoordinatorFixture.Join("w1", 41010)).ResponseAsync);
        StepReport Valid() => new() { RunId = "run-a", Generation = 1, Rank = 0, Step = 1, Loss = 0.5 };
        var malformed = new[]
        {
            Valid().Also(r => r.Loss = double.NaN),
            Valid().Also(r => r.Step = -3),
            Valid().Also(r => r.LevelCount.Add(4)),
            Valid().Also(r => r.ParameterHash = ByteString.CopyFrom(new byte[5])),
            Valid().Also(r => r.StepSeconds = -1),
        };

        foreach (var report in malformed)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.ReportStepAsync(report).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        }
        var status = await client.GetStatusAsync(new StatusRequest());
        Assert.Equal(0, status.LastStep);
        Assert.All(status.Workers, w => Assert.Equal(0, w.LastStep));
        Assert.Equal("running", status.State);
    }

    [Fact]
    public async Task Request_LargerThanTheLimit_IsResourceExhausted()
    {
        await using var coordinator = await StartAsync();
        using var channel = Channel(coordinator, new RunSecurity(Token, null));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Client(channel).ReportStepAsync(new StepReport
        {
            RunId = "run-a", ParameterHash = ByteString.CopyFrom(new byte[CoordinatorConstants.MaxReceiveMessageBytes + 1]),
        }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
    }

    private static Task<RunningCoordinator> StartAsync() => CoordinatorHost.StartAsync(new CoordinatorOptions
    {
        RunId = "run-a", Workers = 2, OptionsJson = "{\"preset\":{}}", OutputDirectory = "/tmp/out", Security = new RunSecurity(Token, null),
    }, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

    private static GrpcChannel Channel(RunningCoordinator coordinator, RunSecurity security) =>
        GrpcChannel.ForAddress(coordinator.Address, new GrpcChannelOptions { HttpHandler = security.CreateHandler() });

    private static Protos.V1.Coordinator.CoordinatorClient Client(GrpcChannel channel) => new(channel);
}

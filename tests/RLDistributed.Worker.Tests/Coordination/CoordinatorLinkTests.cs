using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;
using RLDistributed.Worker.Tests.Support;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>The worker's coordinator calls against real endpoints (Kestrel on 127.0.0.1): unanswered calls, and servers that are no coordinator.</summary>
public sealed class CoordinatorLinkTests
{
    // Far longer than any test waits: a join that retried until this deadline would fail the test's own wait.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task JoinAsync_GrpcServerWithoutTheCoordinatorService_NotACoordinatorAtOnce()
    {
        await using var server = await LoopbackGrpcServer.StartAsync(services => services.AddGrpc(), _ => { });
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System);

        var refused = await Assert.ThrowsAsync<NotACoordinatorException>(() =>
            link.JoinAsync(new JoinRequest { RunId = "run", WorkerId = "w" }, ConnectTimeout, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(server.Address, refused.Address);
        Assert.Contains(server.Address.ToString(), refused.Message);
        Assert.Contains(nameof(StatusCode.Unimplemented), refused.Message);
    }

    [Fact]
    public async Task JoinAsync_Http1OnlyServer_NotACoordinatorAtOnce()
    {
        await using var server = await LoopbackGrpcServer.StartAsync(_ => { }, app => app.MapGet("/", () => "metrics"), HttpProtocols.Http1);
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System);

        var refused = await Assert.ThrowsAsync<NotACoordinatorException>(() =>
            link.JoinAsync(new JoinRequest { RunId = "run", WorkerId = "w" }, ConnectTimeout, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(server.Address.ToString(), refused.Message);
        Assert.Contains(nameof(StatusCode.Internal), refused.Message);
    }

    [Fact]
    public async Task JoinAsync_CoordinatorHandlerFails_StaysTheCoordinatorsError()
    {
        await using var server = await CoordinatorServer.StartAsync(new JoinFails());
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System);

        var failed = await Assert.ThrowsAsync<RpcException>(() =>
            link.JoinAsync(new JoinRequest { RunId = "run", WorkerId = "w" }, ConnectTimeout, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCode.Internal, failed.StatusCode);
        Assert.Equal("rendezvous broke", failed.Status.Detail);
    }

    [Fact]
    public async Task ReportAsync_FirstAttemptUnanswered_TimesOutAndTheRetryGetsThrough()
    {
        var coordinator = new FirstReportUnanswered();
        await using var server = await CoordinatorServer.StartAsync(coordinator);
        var resilience = new ResilienceOptions { AttemptTimeout = TimeSpan.FromMilliseconds(300), BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), MaxRetries = 3 };
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System, resilience);

        var ack = await link.ReportAsync([new StepReport { RunId = "run", Step = 7 }], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ack.Reform);
        Assert.Equal(2, coordinator.Calls);
    }

    [Fact]
    public async Task ReportAsync_CancelledByTheCaller_ThrowsOperationCanceled()
    {
        var coordinator = new FirstReportUnanswered();
        await using var server = await CoordinatorServer.StartAsync(coordinator);
        await using var link = new CoordinatorLink(server.Address, TimeProvider.System);
        using var cancel = new CancellationTokenSource();

        var report = link.ReportAsync([new StepReport { RunId = "run", Step = 7 }], cancel.Token);
        await coordinator.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => report.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, coordinator.Calls);
    }

    /// <summary>A coordinator whose join answers Internal: a status from a coordinator, with no HTTP-level cause.</summary>
    private sealed class JoinFails : Protos.V1.Coordinator.CoordinatorBase
    {
        public override Task<Assignment> Join(JoinRequest request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Internal, "rendezvous broke"));
    }

    /// <summary>Leaves the first step report unanswered until its caller gives up; answers later ones with a reform.</summary>
    private sealed class FirstReportUnanswered : Protos.V1.Coordinator.CoordinatorBase
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<StepAck> ReportSteps(StepReports request, ServerCallContext context)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstArrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            return new StepAck { Reform = true };
        }
    }
}

using Grpc.Core;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>The worker's coordinator calls against a real gRPC endpoint (Kestrel on 127.0.0.1) that leaves calls unanswered.</summary>
public sealed class CoordinatorLinkTests
{
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

using Grpc.Core;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>
/// The reporter against a coordinator whose answers the test releases one by one: reports made while one is in
/// flight are skipped, and the newest of them still reaches the coordinator when the generation drains.
/// </summary>
public sealed class StepReporterTests
{
    private readonly List<(long Step, TaskCompletionSource<StepAck> Answer)> _sent = [];

    private Task<StepAck> Send(StepReport report, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StepAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _sent.Add((report.Step, answer));
        return answer.Task;
    }

    [Fact]
    public async Task ReportsMadeWhileOneIsInFlight_AreSkipped_AndTheNewestIsSentOnDrain()
    {
        var reporter = new StepReporter(Send);
        Assert.Null(reporter.Send(new StepReport { Step = 1 }, CancellationToken.None));
        reporter.Send(new StepReport { Step = 2 }, CancellationToken.None);
        reporter.Send(new StepReport { Step = 3 }, CancellationToken.None);
        Assert.Equal([1L], _sent.Select(s => s.Step));
        Assert.Equal(2, reporter.Dropped);

        var drained = reporter.DrainAsync();
        _sent[0].Answer.SetResult(new StepAck());
        // The drain sends step 3 (not 2) once step 1 is answered, and returns that report's reply.
        await WaitUntilAsync(() => _sent.Count == 2);
        Assert.Equal([1L, 3L], _sent.Select(s => s.Step));
        Assert.False(drained.IsCompleted);
        _sent[1].Answer.SetResult(new StepAck { Reform = true });
        Assert.True((await drained)!.Reform);
    }

    [Fact]
    public async Task AnAnsweredReport_FreesTheNextSend_AndLeavesNothingToDrain()
    {
        var reporter = new StepReporter(Send);
        reporter.Send(new StepReport { Step = 1 }, CancellationToken.None);
        _sent[0].Answer.SetResult(new StepAck { Stop = true });
        Assert.True(reporter.Send(new StepReport { Step = 2 }, CancellationToken.None)!.Stop);
        _sent[1].Answer.SetResult(new StepAck());

        Assert.NotNull(await reporter.DrainAsync());
        Assert.Equal([1L, 2L], _sent.Select(s => s.Step));
        Assert.Equal(0, reporter.Dropped);
    }

    [Fact]
    public async Task AnUnansweredLastReport_DrainsToTheEarlierReply()
    {
        var reporter = new StepReporter(Send);
        reporter.Send(new StepReport { Step = 1 }, CancellationToken.None);
        reporter.Send(new StepReport { Step = 2 }, CancellationToken.None);
        var drained = reporter.DrainAsync();
        _sent[0].Answer.SetResult(new StepAck { Reform = true });
        await WaitUntilAsync(() => _sent.Count == 2);
        _sent[1].Answer.SetException(new RpcException(new Status(StatusCode.Unavailable, "coordinator restarting")));

        Assert.True((await drained)!.Reform);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, deadline.Token);
    }
}

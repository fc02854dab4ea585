using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;

namespace RLDistributed.Worker.Tests.Coordination;

/// <summary>
/// The reporter against a coordinator whose answers the test releases one by one, on a fake clock: reports made
/// while a call is in flight or the interval runs wait and go together in the next call, none lost, and what is left
/// reaches the coordinator when the generation drains.
/// </summary>
public sealed class StepReporterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly List<(long[] Steps, TaskCompletionSource<StepAck> Answer)> _calls = [];
    private readonly FakeTimeProvider _time = new();

    private Task<StepAck> Send(IReadOnlyList<StepReport> reports, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StepAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls.Add(([.. reports.Select(r => r.Step)], answer));
        return answer.Task;
    }

    private StepReporter Reporter(int maxPending = 256) => new(Send, _time, Interval, maxPending);

    private long[][] Calls => [.. _calls.Select(c => c.Steps)];

    [Fact]
    public async Task StepsFasterThanTheInterval_GoTogether_OneCallPerInterval_NoneLost()
    {
        var reporter = Reporter();
        // Steps of 30 ms: step 1 goes at once; 2..4 wait for the interval (and step 1's answer); 5..7 likewise.
        for (var step = 1; step <= 7; step++)
        {
            reporter.Send(new StepReport { Step = step }, CancellationToken.None);
            if (_calls.Count > 0 && !_calls[^1].Answer.Task.IsCompleted) _calls[^1].Answer.SetResult(new StepAck());
            _time.Advance(TimeSpan.FromMilliseconds(30));
        }
        var drained = reporter.DrainAsync();
        await WaitUntilAsync(() => _calls.Count == 3);
        _calls[2].Answer.SetResult(new StepAck());
        await drained;

        Assert.Equal([[1L], [2L, 3L, 4L, 5L], [6L, 7L]], Calls);
        Assert.Equal(3, reporter.Calls);
        Assert.Equal(0, reporter.Dropped);
    }

    [Fact]
    public async Task ReportsMadeWhileACallIsInFlight_Wait_AndAllAreSentOnDrain_WithTheLastReply()
    {
        var reporter = Reporter();
        Assert.Null(reporter.Send(new StepReport { Step = 1 }, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        reporter.Send(new StepReport { Step = 2 }, CancellationToken.None);
        reporter.Send(new StepReport { Step = 3 }, CancellationToken.None);
        Assert.Equal([[1L]], Calls);

        var drained = reporter.DrainAsync();
        _calls[0].Answer.SetResult(new StepAck());
        await WaitUntilAsync(() => _calls.Count == 2);
        Assert.Equal([[1L], [2L, 3L]], Calls);
        Assert.False(drained.IsCompleted);
        _calls[1].Answer.SetResult(new StepAck { Reform = true });
        Assert.True((await drained)!.Reform);
        Assert.Equal(0, reporter.Dropped);
    }

    [Fact]
    public async Task AnAnsweredCall_HandsItsReplyToTheNextSend()
    {
        var reporter = Reporter();
        reporter.Send(new StepReport { Step = 1 }, CancellationToken.None);
        _calls[0].Answer.SetResult(new StepAck { Stop = true });
        _time.Advance(Interval);
        Assert.True(reporter.Send(new StepReport { Step = 2 }, CancellationToken.None)!.Stop);
        _calls[1].Answer.SetResult(new StepAck());

        Assert.NotNull(await reporter.DrainAsync());
        Assert.Equal([[1L], [2L]], Calls);
    }

    [Fact]
    public async Task ACoordinatorThatDoesNotAnswer_CostsOnlyTheOldestReportsBeyondTheLimit()
    {
        var reporter = Reporter(maxPending: 4);
        for (var step = 1; step <= 10; step++)
        {
            reporter.Send(new StepReport { Step = step }, CancellationToken.None);
            _time.Advance(Interval);
        }
        Assert.Equal(5, reporter.Dropped); // steps 2..6: step 1 is in flight, 7..10 wait

        var drained = reporter.DrainAsync();
        _calls[0].Answer.SetException(new RpcException(new Status(StatusCode.Unavailable, "coordinator restarting")));
        await WaitUntilAsync(() => _calls.Count == 2);
        _calls[1].Answer.SetResult(new StepAck());
        await drained;

        Assert.Equal([[1L], [7L, 8L, 9L, 10L]], Calls);
    }

    [Fact]
    public async Task AnUnansweredLastCall_DrainsToTheEarlierReply()
    {
        var reporter = Reporter();
        reporter.Send(new StepReport { Step = 1 }, CancellationToken.None);
        reporter.Send(new StepReport { Step = 2 }, CancellationToken.None);
        var drained = reporter.DrainAsync();
        _calls[0].Answer.SetResult(new StepAck { Reform = true });
        await WaitUntilAsync(() => _calls.Count == 2);
        _calls[1].Answer.SetException(new RpcException(new Status(StatusCode.Unavailable, "coordinator restarting")));

        Assert.True((await drained)!.Reform);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, deadline.Token);
    }
}

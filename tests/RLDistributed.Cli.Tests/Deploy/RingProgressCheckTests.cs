using RLDistributed.Cli.Deploy;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Tests.Deploy;

public sealed class RingProgressCheckTests
{
    [Fact]
    public void Observe_AllAliveAndEveryRankAdvanced_PassesOnlyAfterTheSteps()
    {
        var check = new RingProgressCheck("run-a", 3, 2);

        var first = check.Observe(Running(10, 10, 11));
        var second = check.Observe(Running(11, 12, 12));
        var third = check.Observe(Running(12, 13, 12));

        Assert.Equal(RingCheckState.Pending, first.State);
        Assert.Equal(RingCheckState.Pending, second.State);
        Assert.Equal(RingCheckState.Passed, third.State);
        Assert.Contains("from step 10 to 12", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_OneRankStuck_StaysPending()
    {
        var check = new RingProgressCheck(null, 2, 1);

        check.Observe(Running(5, 5));
        var outcome = check.Observe(Running(5, 9));

        Assert.Equal(RingCheckState.Pending, outcome.State);
        Assert.Contains("slowest rank at step 5", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_AWorkerNotAlive_StaysPendingAndCountsTheLiving()
    {
        var check = new RingProgressCheck(null, 2, 1);
        var status = Running(0, 50);
        status.Workers[0].Alive = false;

        var outcome = check.Observe(status);

        Assert.Equal(new RingCheckOutcome(RingCheckState.Pending, "1 of 2 workers alive"), outcome);
    }

    [Fact]
    public void Observe_Waiting_StaysPendingAndCountsTheJoined()
    {
        var status = Running(0);
        status.State = "waiting";
        status.WorldSize = 2;

        var outcome = new RingProgressCheck(null, 2, 1).Observe(status);

        Assert.Equal(RingCheckState.Pending, outcome.State);
        Assert.Contains("1 of 2 workers joined", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_RunFailed_FailsWithTheRunsError()
    {
        var status = Running(3, 3);
        status.State = "failed";
        status.Error = "rank 1 missed 3 heartbeats";

        var outcome = new RingProgressCheck(null, 2, 1).Observe(status);

        Assert.Equal(RingCheckState.Failed, outcome.State);
        Assert.Contains("rank 1 missed 3 heartbeats", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40, RingCheckState.Passed)]
    [InlineData(0, RingCheckState.Failed)]
    public void Observe_Completed_PassesOnlyWithSteps(long lastStep, RingCheckState expected)
    {
        var status = Running(lastStep, lastStep);
        status.State = "completed";
        status.LastStep = lastStep;

        Assert.Equal(expected, new RingProgressCheck(null, 2, 1).Observe(status).State);
    }

    [Fact]
    public void Observe_OtherWorldSize_Fails()
    {
        var outcome = new RingProgressCheck(null, 4, 1).Observe(Running(1, 1));

        Assert.Equal(RingCheckState.Failed, outcome.State);
        Assert.Contains("2 worker seats, expected 4", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_OtherRun_Fails()
    {
        var outcome = new RingProgressCheck("run-b", 2, 1).Observe(Running(1, 1));

        Assert.Equal(RingCheckState.Failed, outcome.State);
        Assert.Contains("not 'run-b'", outcome.Message, StringComparison.Ordinal);
    }

    private static RunStatus Running(params long[] lastSteps)
    {
        var status = new RunStatus { RunId = "run-a", State = "running", WorldSize = lastSteps.Length, LastStep = lastSteps.Max() };
        status.Workers.AddRange(lastSteps.Select((step, rank) => new WorkerStatus { Rank = rank, WorkerId = $"w{rank}", LastStep = step, Alive = true }));
        return status;
    }
}

using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Rendezvous;

public sealed class StepLedgerTests
{
    [Fact]
    public void RanksThatSkipDifferentSteps_LeaveOnlyStepsThatCanStillCombine()
    {
        var ledger = new StepLedger(2);
        var combined = new List<long>();
        // Rank 0 reports every step; rank 1 only every third (its reporter skips while a report is in flight).
        for (long step = 1; step <= 3000; step++)
        {
            foreach (var rank in step % 3 == 0 ? new[] { 0, 1 } : [0])
            {
                if (ledger.Add(new StepReport { Rank = rank, Step = step, Loss = 0.5 }).Combined is { } done) combined.Add(done.Step);
            }
            Assert.True(ledger.PendingSteps <= 3, $"{ledger.PendingSteps} steps pending at step {step}");
        }

        Assert.Equal(1000, combined.Count);
        Assert.Equal(3000, ledger.LastStep);
        Assert.Equal(1.0, ledger.LastLoss, 12);
    }

    [Fact]
    public void AStepOneRankHasNotReachedYet_StaysPending()
    {
        var ledger = new StepLedger(2);
        ledger.Add(new StepReport { Rank = 0, Step = 5 });
        ledger.Add(new StepReport { Rank = 0, Step = 6 });
        ledger.Add(new StepReport { Rank = 1, Step = 5 });

        Assert.Equal(1, ledger.PendingSteps);
        Assert.Equal(6, ledger.Add(new StepReport { Rank = 1, Step = 6 }).Combined!.Step);
    }

    [Fact]
    public void DoneThrough_MovesTheLastStepForwardOnly()
    {
        var ledger = new StepLedger(1);
        ledger.Add(new StepReport { Rank = 0, Step = 7 });
        ledger.DoneThrough(5);
        Assert.Equal(7, ledger.LastStep);
        ledger.DoneThrough(9);
        Assert.Equal(9, ledger.LastStep);
    }

    [Fact]
    public void RecentSteps_HoldTheLastHundredCombinedSteps_EachTheSlowestRank_AndTheMedianIsTakenOverThem()
    {
        var ledger = new StepLedger(2);
        for (long step = 1; step <= 150; step++)
        {
            // Rank 1 is the slower one on odd steps, rank 0 on even ones; step s takes s ms at its slowest.
            ledger.Add(new StepReport { Rank = 0, Step = step, StepSeconds = step % 2 == 0 ? step / 1000.0 : step / 2000.0 });
            ledger.Add(new StepReport { Rank = 1, Step = step, StepSeconds = step % 2 == 1 ? step / 1000.0 : step / 2000.0 });
        }

        var recent = ledger.RecentSteps;
        Assert.Equal(Enumerable.Range(51, 100).Select(s => (long)s), recent.Select(r => r.Step));
        Assert.All(recent, r => Assert.Equal(r.Step / 1000.0, r.Seconds, 12));
        // Steps 51..150: the median of 100 values is the mean of the 50th and 51st, 100 and 101 ms.
        Assert.Equal(0.1005, ledger.MedianStepSeconds, 12);
    }
}

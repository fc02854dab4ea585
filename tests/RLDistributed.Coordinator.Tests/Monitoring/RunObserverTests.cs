using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RLDistributed.Coordinator.Monitoring;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Monitoring;

public sealed class RunObserverTests
{
    private static StepReport Report(int rank, long step, double seconds, double allReduce, double[] positive, double[] negative, int[] counts)
    {
        var report = new StepReport { RunId = "run-a", Generation = 1, Rank = rank, Step = step, Loss = 0.5, StepSeconds = seconds, AllreduceSeconds = allReduce };
        report.PositiveEnergySum.AddRange(positive);
        report.NegativeEnergySum.AddRange(negative);
        report.LevelCount.AddRange(counts);
        return report;
    }

    [Fact]
    public void StepCombined_TwoRanks_EnergyGapPerLevelIsTheMeanOverBothRanksExamples()
    {
        var observer = new RunObserver("run-a", new FakeTimeProvider(), NullLogger.Instance);

        observer.StepCombined(1, 1.0,
        [
            Report(0, 1, 0.2, 0.1, positive: [4, 0], negative: [2, 0], counts: [2, 0]),
            Report(1, 1, 0.2, 0.1, positive: [1, 3], negative: [0, 6], counts: [1, 3]),
        ]);

        var point = Assert.Single(observer.History());
        Assert.Equal(1.0, point.Loss);
        Assert.Equal((4.0 - 2 + 1 - 0) / 3, point.EnergyGap[0]!.Value, 12);
        Assert.Equal((3.0 - 6) / 3, point.EnergyGap[1]!.Value, 12);
    }

    [Fact]
    public void StepCombined_ComputeTimeIsStepLessAllReduce_AndTheSlowRankBecomesAStraggler()
    {
        var observer = new RunObserver("run-a", new FakeTimeProvider(), NullLogger.Instance);
        for (var step = 1; step <= 3; step++)
        {
            // Both ranks end the step together; rank 0 spent its wait in the all-reduce.
            observer.StepCombined(step, 1.0, [Report(0, step, 0.5, 0.4, [0], [0], [1]), Report(1, step, 0.5, 0.05, [0], [0], [1])]);
        }

        var ranks = observer.Ranks();
        Assert.Equal(0.1, ranks[0].ComputeSeconds, 12);
        Assert.Equal(0.45, ranks[1].ComputeSeconds, 12);
        Assert.Equal([1], observer.Stragglers());
        Assert.True(ranks[1].Straggler);
        Assert.Equal(1, observer.StragglerDetections);
    }

    [Fact]
    public void StepsPerSecond_StepsOneSecondApart_IsOne_AndSamplesPerSecondIsTimesTheGlobalBatch()
    {
        var time = new FakeTimeProvider();
        var observer = new RunObserver("run-a", time, NullLogger.Instance);
        for (var step = 1; step <= 5; step++)
        {
            observer.StepCombined(step, 1.0, [Report(0, step, 1, 0, [0, 0], [0, 0], [3, 5]), Report(1, step, 1, 0, [0, 0], [0, 0], [4, 4])]);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1.0, observer.StepsPerSecond, 9);
        Assert.Equal(16.0, observer.SamplesPerSecond, 9);
    }

    [Fact]
    public void History_LongRun_KeepsAtMostMaxPointsSpreadOverTheWholeRun()
    {
        var observer = new RunObserver("run-a", new FakeTimeProvider(), NullLogger.Instance);
        for (var step = 1; step <= 5000; step++) observer.StepCombined(step, 1.0, [Report(0, step, 1, 0, [0], [0], [1])]);

        var history = observer.History();
        Assert.InRange(history.Count, RunObserver.MaxHistory / 2, RunObserver.MaxHistory);
        Assert.True(history[0].Step < 100, "the start of the run is still on the curve");
        Assert.True(history[^1].Step > 4900, "the end of the run is on the curve");
    }
}

using RLDistributed.Coordinator.Monitoring;

namespace RLDistributed.Coordinator.Tests.Monitoring;

public sealed class StragglerDetectorTests
{
    private static Dictionary<int, double> Step(params double[] seconds) => seconds.Select((s, rank) => (s, rank)).ToDictionary(x => x.rank, x => x.s);

    [Fact]
    public void Observe_RankAbove1Point2TimesTheMedianForThreeSteps_IsFlaggedOnce()
    {
        var detector = new StragglerDetector();

        Assert.Empty(detector.Observe(Step(0.10, 0.10, 0.20)));
        Assert.Empty(detector.Observe(Step(0.10, 0.10, 0.20)));
        Assert.Equal([2], detector.Observe(Step(0.10, 0.10, 0.20)));
        Assert.Empty(detector.Observe(Step(0.10, 0.10, 0.20)));

        Assert.Equal([2], detector.Flagged);
        Assert.Equal(1, detector.Detections);
    }

    [Fact]
    public void Observe_TwoSlowStepsThenANormalOne_NeverFlags()
    {
        var detector = new StragglerDetector();

        detector.Observe(Step(0.10, 0.10, 0.20));
        detector.Observe(Step(0.10, 0.10, 0.20));
        detector.Observe(Step(0.10, 0.10, 0.11));
        detector.Observe(Step(0.10, 0.10, 0.20));
        detector.Observe(Step(0.10, 0.10, 0.20));

        Assert.Empty(detector.Flagged);
        Assert.Equal(0, detector.Detections);
    }

    [Fact]
    public void Observe_JustUnder1Point2TimesTheMedian_IsNotSlow()
    {
        var detector = new StragglerDetector();
        for (var i = 0; i < 5; i++) detector.Observe(Step(0.100, 0.100, 0.119));
        Assert.Empty(detector.Flagged);
    }

    [Fact]
    public void Observe_FlaggedRankBackToNormal_IsCleared_AndCountedAgainWhenSlowAgain()
    {
        var detector = new StragglerDetector();
        for (var i = 0; i < 3; i++) detector.Observe(Step(0.3, 0.1));
        Assert.Equal([0], detector.Flagged);

        detector.Observe(Step(0.1, 0.1));
        Assert.Empty(detector.Flagged);

        for (var i = 0; i < 3; i++) detector.Observe(Step(0.3, 0.1));
        Assert.Equal(2, detector.Detections);
    }

    [Fact]
    public void Observe_OneRank_HasNoOneToBeSlowerThan()
    {
        var detector = new StragglerDetector();
        for (var i = 0; i < 5; i++) Assert.Empty(detector.Observe(Step(9.0)));
    }

    [Fact]
    public void Reset_NewGeneration_ForgetsStreaksAndFlags()
    {
        var detector = new StragglerDetector();
        for (var i = 0; i < 3; i++) detector.Observe(Step(0.1, 0.3));
        detector.Observe(Step(0.1, 0.1, 0.3, 0.1));
        detector.Observe(Step(0.1, 0.1, 0.3, 0.1));

        detector.Reset();
        Assert.Empty(detector.Flagged);
        Assert.Empty(detector.Observe(Step(0.1, 0.1, 0.3, 0.1)));
    }
}

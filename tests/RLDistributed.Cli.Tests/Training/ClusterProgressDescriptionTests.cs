using RLDistributed.Cli.Training;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Tests.Training;

/// <summary>The progress line of <c>rld train --workers N</c> for the coordinator's states.</summary>
public sealed class ClusterProgressDescriptionTests
{
    private static RunStatus Status(string state, long lastStep, bool combined = true)
    {
        var status = new RunStatus { State = state, LastStep = lastStep, LastLoss = -0.25, WorldSize = 2 };
        status.Workers.Add(new WorkerStatus { Rank = 0, Alive = true, LastStep = lastStep });
        status.Workers.Add(new WorkerStatus { Rank = 1, Alive = lastStep < 30, LastStep = lastStep });
        if (combined) status.RecentSteps.Add(new StepTime { Step = lastStep, Seconds = 0.8 });
        return status;
    }

    [Fact]
    public void Of_RunningBeforeTheLastStep_StepLossAndWorkers()
    {
        Assert.Equal("running step 12/30  loss -0.2500  workers 2/2  status http://127.0.0.1:9/",
            ClusterProgressDescription.Of(Status("running", 12), 30, 64, "http://127.0.0.1:9/"));
    }

    [Fact]
    public void Of_RunningAfterTheLastStep_SaysRankZeroWritesTheModelAndDrawsTheSamples()
    {
        Assert.Equal("finishing step 30/30  loss -0.2500: rank 0 saves the model and draws 64 samples (levels in cluster.log)",
            ClusterProgressDescription.Of(Status("running", 30), 30, 64, statusPage: null));
    }

    [Theory]
    [InlineData("completed", 30)]
    [InlineData("reforming", 30)]
    [InlineData("waiting", 30)]
    public void Of_OtherStatesAtTheLastStep_NameTheState(string state, long step)
    {
        Assert.StartsWith($"{state} step {step}/30", ClusterProgressDescription.Of(Status(state, step), 30, 64, statusPage: null));
    }

    [Theory]
    [InlineData("running", 29, false)]
    [InlineData("running", 30, true)]
    [InlineData("completed", 30, false)]
    [InlineData("reforming", 30, false)]
    public void IsFinishing_OnlyWhileRunningAfterTheLastStep(string state, long step, bool finishing)
    {
        Assert.Equal(finishing, ClusterProgressDescription.IsFinishing(Status(state, step), 30));
    }

    [Fact]
    public void Of_NoStepCombinedYet_NoLoss()
    {
        Assert.Equal("running step 10/30  workers 2/2", ClusterProgressDescription.Of(Status("running", 10, combined: false), 30, 64, statusPage: null));
    }
}

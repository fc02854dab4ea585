using RLDistributed.Core.Training;

namespace RLDistributed.Core.Tests.Training;

public sealed class BatchPlannerTests
{
    [Theory]
    [InlineData(64, 6)]
    [InlineData(256, 6)]
    [InlineData(7, 3)]
    public void Plan_LevelsStratifiedAndSorted(int batch, int levels)
    {
        var plan = new BatchPlanner(1, batch, 1000, levels, true).Plan(17);
        var counts = Enumerable.Range(0, levels).Select(t => plan.Levels.Count(l => l == t)).ToArray();
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        Assert.Equal(plan.Levels.Order(), plan.Levels);
    }

    [Fact]
    public void Plan_OneEpochVisitsEveryExampleOnce()
    {
        var planner = new BatchPlanner(3, 10, 100, 6, false);
        var seen = Enumerable.Range(0, 10).SelectMany(step => planner.Plan(step).ExampleIndices).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100), seen);
        Assert.NotEqual(planner.Plan(0).ExampleIndices, planner.Plan(10).ExampleIndices); // a new permutation next epoch
    }

    [Fact]
    public void Plan_IsAPureFunctionOfItsInputs()
    {
        var a = new BatchPlanner(5, 32, 500, 6, true).Plan(40);
        var b = new BatchPlanner(5, 32, 500, 6, true);
        b.Plan(3); // another epoch cached first
        var again = b.Plan(40);
        Assert.Equal(a.ExampleIndices, again.ExampleIndices);
        Assert.Equal(a.Levels, again.Levels);
        Assert.Equal(a.Flips, again.Flips);
        Assert.NotEqual(a.ExampleIndices, new BatchPlanner(6, 32, 500, 6, true).Plan(40).ExampleIndices);
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(10, 4)]
    public void SliceOf_ContiguousSlicesCoverTheBatch(int batch, int world)
    {
        var plan = new BatchPlanner(1, batch, 1000, 6, false).Plan(0);
        var next = 0;
        for (var rank = 0; rank < world; rank++)
        {
            var (start, count) = plan.SliceOf(rank, world);
            Assert.Equal(next, start);
            Assert.InRange(count, batch / world, batch / world + 1);
            next = start + count;
        }
        Assert.Equal(batch, next);
    }

    [Fact]
    public void Constructor_DatasetSmallerThanBatch_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPlanner(1, 64, 10, 6, false));
        Assert.Contains("smaller than the global batch", error.Message);
    }
}

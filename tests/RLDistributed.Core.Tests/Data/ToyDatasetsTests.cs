using RLDistributed.Core.Randomness;
using RLDistributed.Core.Data;

namespace RLDistributed.Core.Tests.Data;

public sealed class ToyDatasetsTests
{
    public static TheoryData<string> Names => [.. ToyDatasets.Names];

    private static float[] All(IDataset data)
    {
        var values = new float[data.Count * 2];
        for (var i = 0; i < data.Count; i++) data.CopyExample(i, values.AsSpan(2 * i, 2));
        return values;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_SameSeed_SamePoints(string name)
    {
        Assert.Equal(All(ToyDatasets.Create(name, 2048, 42)), All(ToyDatasets.Create(name, 2048, 42)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_OtherSeed_DifferentPoints(string name)
    {
        Assert.NotEqual(All(ToyDatasets.Create(name, 2048, 42)), All(ToyDatasets.Create(name, 2048, 43)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Create_AnySet_PointsWithinUnitSquareMargin(string name)
    {
        var data = ToyDatasets.Create(name, 8192, 7);

        Assert.Equal(name, data.Name);
        Assert.Equal(8192, data.Count);
        Assert.Equal(new[] { 2 }, data.ExampleShape);
        Assert.False(data.IsImage);
        Assert.All(All(data), v => Assert.InRange(v, -1.1f, 1.1f));
    }

    [Fact]
    public void Create_EightGaussians_NearlyAllPointsWithinThreeStdOfACentre()
    {
        var data = Assert.IsType<GaussianMixture2D>(ToyDatasets.Create("8gaussians", 8192, 1));

        Assert.Equal(8, data.Centres.Count);
        Assert.All(data.Centres, c => Assert.Equal(0.8, Math.Sqrt(c.X * c.X + c.Y * c.Y), 1e-12));
        Assert.Equal(ToyDatasets.EightGaussiansModeStd, data.ModeStd);
        var near = Enumerable.Range(0, data.Count)
            .Count(i => data.NearestMode(data[i].X, data[i].Y).Distance <= 3 * data.ModeStd);
        Assert.True(near >= 0.95 * data.Count, $"{near} of {data.Count} within 3·std");
        // Equal weights: every mode gets its share, give or take sampling noise.
        var perMode = Enumerable.Range(0, data.Count).GroupBy(i => data.NearestMode(data[i].X, data[i].Y).Mode);
        Assert.All(perMode, g => Assert.InRange(g.Count(), 850, 1200));
    }

    [Fact]
    public void Create_TwentyFiveGaussians_HasGridCentres()
    {
        var data = Assert.IsType<GaussianMixture2D>(ToyDatasets.Create("25gaussians", 100, 1));

        Assert.Equal(25, data.Centres.Count);
        Assert.Contains((-0.8, 0.8), data.Centres);
    }

    [Fact]
    public void Create_NameInOtherCase_Accepted()
    {
        Assert.Equal("checkerboard", ToyDatasets.Create("CheckerBoard", 10, 1).Name);
    }

    [Fact]
    public void Create_UnknownName_ThrowsListingNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ToyDatasets.Create("moons", 10, 1));

        Assert.Contains("moons", error.Message);
        Assert.All(ToyDatasets.Names, n => Assert.Contains(n, error.Message));
    }

    [Fact]
    public void NextUInt64_SeedZero_MatchesSplitMix64Reference()
    {
        // First outputs of the reference splitmix64.c for seed 0.
        var rng = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
    }
}

namespace RLDistributed.Core.Tests.Training;

/// <summary>
/// The toy2d preset, trained as shipped, must learn 8 Gaussians: samples of the progressive sampler (EMA network)
/// cover all 8 modes, each mode holds 6–19% of them, and at least 85% lie within 3 standard deviations of a mode
/// centre. The untrained network fails the same check.
/// </summary>
[Collection(TrainedToy2DCollection.Name)]
public sealed class Toy2DConvergenceTests(TrainedToy2DPreset model, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void TrainToy2D_ProgressiveSamples_CoverEveryModeTightly()
    {
        var trained = model.Measure(model.Ema);
        var untrained = model.Untrained;
        output.WriteLine($"trained: modes {Describe(trained.ShareByMode)}, within 3 std {trained.ShareWithin:P1}");
        output.WriteLine($"untrained: modes {Describe(untrained.ShareByMode)}, within 3 std {untrained.ShareWithin:P1}");

        Assert.True(trained.ShareByMode.All(s => s is >= 0.06 and <= 0.19),
            $"mode shares {Describe(trained.ShareByMode)}");
        Assert.True(trained.ShareWithin >= 0.85, $"only {trained.ShareWithin:P1} within 3 std of a centre");

        // The check can fail: the same network before training does not pass it.
        Assert.False(untrained.ShareByMode.All(s => s is >= 0.06 and <= 0.19) && untrained.ShareWithin >= 0.85,
            $"untrained network passed: {Describe(untrained.ShareByMode)}, within {untrained.ShareWithin:P1}");
    }

    internal static string Describe(IEnumerable<double> shares) => string.Join(", ", shares.Select(s => s.ToString("P1")));
}

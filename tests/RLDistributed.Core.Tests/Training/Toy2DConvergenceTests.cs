using RLDistributed.Core.Data;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Sampling;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Training;

/// <summary>
/// The toy2d preset, trained as shipped (about a minute on 2 cores), must learn 8 Gaussians: samples of the
/// progressive sampler (EMA network) cover all 8 modes, each mode holds 6–19% of them, and at least 85% lie
/// within 3 standard deviations of a mode centre. The untrained network fails the same check.
/// </summary>
public sealed class Toy2DConvergenceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int SampleCount = 2000;

    [Fact]
    [Trait("Category", "Slow")]
    public void TrainToy2D_ProgressiveSamples_CoverEveryModeTightly()
    {
        var (trained, untrained) = TrainAndMeasure();
        output.WriteLine($"trained: modes {Describe(trained.ShareByMode)}, within 3 std {trained.ShareWithin:P1}");
        output.WriteLine($"untrained: modes {Describe(untrained.ShareByMode)}, within 3 std {untrained.ShareWithin:P1}");

        Assert.True(trained.ShareByMode.All(s => s is >= 0.06 and <= 0.19),
            $"mode shares {Describe(trained.ShareByMode)}");
        Assert.True(trained.ShareWithin >= 0.85, $"only {trained.ShareWithin:P1} within 3 std of a centre");

        // The check can fail: the same network before training does not pass it.
        Assert.False(untrained.ShareByMode.All(s => s is >= 0.06 and <= 0.19) && untrained.ShareWithin >= 0.85,
            $"untrained network passed: {Describe(untrained.ShareByMode)}, within {untrained.ShareWithin:P1}");
    }

    private static (ModeCoverage Trained, ModeCoverage Untrained) TrainAndMeasure()
    {
        using var scope = NewDisposeScope();
        var preset = TrainingPresets.Get("toy2d");
        var data = (GaussianMixture2D)DatasetCatalog.Open(preset.Dataset, null, false, preset.Training.Seed);
        using var energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var ema = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var trainer = new Trainer(energy, ema, data, preset.Training, CPU);
        var sampler = new ProgressiveSampler(trainer.Schedule, new LangevinOptions { StepCount = preset.Training.LangevinSteps });

        var untrained = Measure(sampler, ema, data);
        for (var step = 0L; step < preset.Training.Steps; step++) trainer.TrainStep(step);
        return (Measure(sampler, ema, data), untrained);
    }

    private static ModeCoverage Measure(ProgressiveSampler sampler, RLDistributed.Core.Energy.EnergyNetwork network, GaussianMixture2D data)
    {
        using var result = sampler.Sample(network, SampleCount, seed: 2024, CPU);
        return ModeCoverage.Measure(data, result.Samples.data<float>().ToArray());
    }

    private static string Describe(IEnumerable<double> shares) => string.Join(", ", shares.Select(s => s.ToString("P1")));
}

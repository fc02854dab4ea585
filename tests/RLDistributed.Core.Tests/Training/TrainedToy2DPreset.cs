using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Sampling;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Training;

/// <summary>
/// The toy2d preset trained as shipped (about a minute on 2 cores), once for the test classes that judge the trained
/// model (one collection, so it is trained once); the mode coverage of the same network before training is kept for
/// the checks that must be able to fail.
/// </summary>
public sealed class TrainedToy2DPreset : IDisposable
{
    private readonly ScheduleTensors _scheduleTensors;

    public const int SampleCount = 2000;
    public const ulong SampleSeed = 2024;

    public TrainedToy2DPreset()
    {
        var preset = TrainingPresets.Get("toy2d");
        Data = (GaussianMixture2D)DatasetCatalog.Open(preset.Dataset, null, false, preset.Training.Seed);
        Energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        Ema = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var trainer = new Trainer(Energy, Ema, Data, preset.Training, CPU);
        Schedule = trainer.Schedule.Schedule;
        // The trainer's schedule tensors go with it; the sampler keeps its own.
        _scheduleTensors = new ScheduleTensors(Schedule, CPU);
        Sampler = new ProgressiveSampler(_scheduleTensors, new LangevinOptions { StepCount = preset.Training.LangevinSteps });
        Untrained = Measure(Ema);
        for (var step = 0L; step < preset.Training.Steps; step++)
        {
            using var scope = NewDisposeScope();
            trainer.TrainStep(step);
        }
    }

    public GaussianMixture2D Data { get; }
    public EnergyNetwork Energy { get; }
    public EnergyNetwork Ema { get; }
    public DiffusionSchedule Schedule { get; }
    public ProgressiveSampler Sampler { get; }

    /// <summary>Coverage of the EMA network's samples before any training.</summary>
    public ModeCoverage Untrained { get; }

    /// <summary>Coverage of <paramref name="network"/>'s progressive samples.</summary>
    public ModeCoverage Measure(EnergyNetwork network)
    {
        using var result = Sampler.Sample(network, SampleCount, SampleSeed, CPU);
        return ModeCoverage.Measure(Data, result.Samples.data<float>().ToArray());
    }

    public void Dispose()
    {
        Energy.Dispose();
        Ema.Dispose();
        _scheduleTensors.Dispose();
    }
}

/// <summary>The test classes that share one <see cref="TrainedToy2DPreset"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedToy2DCollection : ICollectionFixture<TrainedToy2DPreset>
{
    public const string Name = "trained toy2d preset";
}

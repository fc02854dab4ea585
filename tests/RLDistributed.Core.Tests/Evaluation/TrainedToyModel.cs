using RLDistributed.Core.Data;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>
/// The toy2d preset trained for a few hundred steps (about half a minute on 2 cores), once per test class: enough
/// for the level-0 energy to form sharp modes, which is what makes its normaliser hard to estimate.
/// </summary>
public sealed class TrainedToyModel : IDisposable
{
    public const int Steps = 300;

    public TrainedToyModel()
    {
        var preset = TrainingPresets.Get("toy2d");
        Data = (GaussianMixture2D)DatasetCatalog.Open(preset.Dataset, null, false, preset.Training.Seed);
        Energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        Ema = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var trainer = new Trainer(Energy, Ema, Data, preset.Training with { Steps = Steps }, CPU);
        Schedule = trainer.Schedule.Schedule;
        for (var step = 0L; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            trainer.TrainStep(step);
        }
    }

    public GaussianMixture2D Data { get; }

    public EnergyNetwork Energy { get; }

    public EnergyNetwork Ema { get; }

    public RLDistributed.Core.Diffusion.DiffusionSchedule Schedule { get; }

    /// <summary>Fresh points of the same mixture (not the training set), as a [count, 2] tensor.</summary>
    public Tensor HeldOut(int count, ulong seed)
    {
        var points = ToyDatasets.Create(Data.Name, count, seed);
        var values = new float[2 * count];
        for (var i = 0; i < count; i++) points.CopyExample(i, values.AsSpan(2 * i, 2));
        return tensor(values).reshape(count, 2);
    }

    public void Dispose()
    {
        Energy.Dispose();
        Ema.Dispose();
    }
}

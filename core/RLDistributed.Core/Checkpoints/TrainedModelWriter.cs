using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Imaging;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Core.Checkpoints;

/// <summary>Writes what a finished (or sampled) run leaves behind: model/ and a sample picture.</summary>
public static class TrainedModelWriter
{
    /// <summary>Saves the model under <c>DIR/model</c>.</summary>
    public static string SaveModel(string outputDirectory, TrainingPreset preset, IDataset dataset, EnergyNetwork energy, EnergyNetwork ema, long steps)
    {
        var manifest = new ModelManifest
        {
            Preset = preset.Name,
            Dataset = dataset.Name,
            ExampleShape = dataset.ExampleShape,
            Model = preset.Model,
            Training = preset.Training,
            Step = steps,
            Schedule = ScheduleSnapshot.Of(DiffusionSchedule.Create(preset.Training.Levels, preset.Training.StepSizeBSquared)),
        };
        var directory = Path.Combine(outputDirectory, "model");
        ModelStore.Save(directory, manifest, energy, ema);
        return directory;
    }

    /// <summary>Draws the preset's number of samples with <paramref name="network"/> and writes the picture.</summary>
    /// <param name="progress">Called after each level of the sampling.</param>
    public static void WriteSamples(string path, TrainingPreset preset, IDataset dataset, EnergyNetwork network, ScheduleTensors schedule,
        Device device, CancellationToken cancellationToken, Action<SamplingProgress>? progress = null)
    {
        var sampler = new ProgressiveSampler(schedule, new LangevinOptions { StepCount = preset.Training.LangevinSteps });
        using var result = sampler.Sample(network, preset.SampleCount, preset.Training.Seed, device, cancellationToken: cancellationToken, progress: progress);
        SamplePictures.Write(path, result.Samples, network, schedule.Schedule, dataset, device);
    }
}

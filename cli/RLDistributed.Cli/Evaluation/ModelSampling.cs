using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>Progressive samples of a loaded model with the evaluation's settings.</summary>
public static class ModelSampling
{
    /// <summary>x_0 of <see cref="EvaluationSettings.SampleCount"/> chains from noise, detached, on <paramref name="device"/>.</summary>
    /// <param name="progress">Called before the first level and after each one.</param>
    public static Tensor Draw(LoadedModel model, EnergyNetwork network, int count, double noiseScale, int steps, ulong seed,
        Device device, CancellationToken cancellationToken, Action<SamplingProgress>? progress = null)
    {
        using var schedule = new ScheduleTensors(model.Schedule, device);
        var sampler = new ProgressiveSampler(schedule, new LangevinOptions { StepCount = steps, NoiseScale = noiseScale });
        var result = sampler.Sample(network, count, seed, device, cancellationToken: cancellationToken, progress: progress);
        return result.Samples;
    }
}

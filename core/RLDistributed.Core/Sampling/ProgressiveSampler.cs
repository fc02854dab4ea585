using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Randomness;
using static TorchSharp.torch;

namespace RLDistributed.Core.Sampling;

/// <summary>
/// Test-time sampling of drl-spec.md §7: x_T ~ N(0, I), then for t = T−1 … 0 the Langevin chain of
/// level t from x_{t+1}, giving x_0. K+1 network evaluations… per level; no extra denoising step.
/// </summary>
public sealed class ProgressiveSampler(ScheduleTensors schedule, LangevinOptions options)
{
    private readonly LangevinSampler _langevin = new(schedule, options);

    /// <summary>Draws <paramref name="count"/> samples; returns x_0 and, when asked, every x_t (index t = 0..T).</summary>
    /// <param name="progress">Called on this thread before the first level (0 done) and after each level: T + 1 times in all.</param>
    public SamplingResult Sample(EnergyNetwork energy, int count, ulong seed, Device device, bool keepLevels = false,
        CancellationToken cancellationToken = default, Action<SamplingProgress>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var shape = energy.ExampleShape;
        var levels = schedule.Schedule.Levels;
        var trajectory = new Tensor?[levels + 1];
        using var scope = NewDisposeScope();
        var x = KeyedNoise.Normal(RandomKey.For(seed, RandomPurpose.SamplerStart), count, shape, 0, count, device);
        if (keepLevels) trajectory[levels] = x;
        progress?.Invoke(new SamplingProgress(0, levels));
        for (var t = levels - 1; t >= 0; t--)
        {
            var level = full(count, t, dtype: ScalarType.Int64, device: device);
            var noiseKey = RandomKey.For(seed, RandomPurpose.SamplerNoise).With(t);
            var y = _langevin.Run(energy, x, level,
                k => KeyedNoise.Normal(noiseKey.With(k), count, shape, 0, count, device), cancellationToken);
            x = _langevin.ToSample(y, level).detach();
            if (keepLevels) trajectory[t] = x;
            scope.DisposeEverythingBut(keepLevels ? [x, .. trajectory.OfType<Tensor>()] : [x]);
            progress?.Invoke(new SamplingProgress(levels - t, levels));
        }
        x.MoveToOuterDisposeScope();
        foreach (var kept in trajectory.OfType<Tensor>().Where(k => !ReferenceEquals(k, x))) kept.MoveToOuterDisposeScope();
        return new SamplingResult(x, keepLevels ? trajectory.Select(k => k!).ToArray() : null);
    }
}

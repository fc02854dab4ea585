using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Sampling;

/// <summary>
/// The Langevin sampler of drl-spec.md §2 in y-space (y = a′_{t+1}·x_t), started at y⁰ = x_{t+1}:
/// y ← y + ½∇_y F(y, t) − ½(s_t²/σ_{t+1}²)·r_{t+1}·(y − x_{t+1}) + λ·s_t·ε, for K steps, per-example t.
/// Only input gradients are taken (no parameter graph survives a step), no Metropolis correction,
/// no clipping.
/// </summary>
public sealed class LangevinSampler(ScheduleTensors schedule, LangevinOptions options)
{
    /// <summary>The options in force.</summary>
    public LangevinOptions Options { get; } = options;

    /// <summary>
    /// Runs the chain from x_{t+1} and returns y_K (y-space, detached). Divide by a′_{t+1}
    /// (<see cref="ToSample"/>) for the sample x_t.
    /// </summary>
    public Tensor Run(EnergyNetwork energy, Tensor xNext, Tensor levels, NoiseProvider noise, CancellationToken cancellationToken = default)
    {
        using var outer = NewDisposeScope();
        var rank = xNext.dim();
        var stepSize = schedule.StepSize(levels, rank);
        var tether = schedule.Tether(levels, rank);
        var noiseScale = stepSize * Options.NoiseScale;
        var anchor = xNext.detach();
        var y = anchor.clone();
        for (var k = 0; k < Options.StepCount; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            var gradient = EnergyGradient.OfInput(energy, y, levels);
            var next = y + 0.5 * gradient - tether * (y - anchor) + noiseScale * noise(k);
            y = next.detach().MoveToOuterDisposeScope();
            // The previous y belongs to the outer scope; it is no longer chain state.
            outer.DisposeEverythingBut(y, stepSize, tether, noiseScale, anchor);
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>x_t = y / a′_{t+1}.</summary>
    public Tensor ToSample(Tensor y, Tensor levels) => y / schedule.NextAPrime(levels, y.dim());
}

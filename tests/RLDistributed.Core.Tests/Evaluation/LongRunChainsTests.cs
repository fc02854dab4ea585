using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Evaluation.LongRun;
using RLDistributed.Core.Tests.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

public sealed class LongRunChainsTests
{
    [Fact]
    public void Run_QuadraticEnergy_RelaxesToTheGaussianAndRecordsEveryInterval()
    {
        // log p̃ = −‖y − μ‖²/(2τ²) at level 0; the chain's stationary variance is τ²/(1 − h/2) per coordinate,
        // h = s₀²/(2τ²) (unadjusted Langevin), so the mean log p̃ settles at −(D/2)/(1 − h/2).
        var schedule = DiffusionSchedule.Create(6);
        const double tau = 0.02, mu = 0.3;
        using var energy = new QuadraticEnergy(schedule, mu, tau, dimensions: 2);
        var aPrime = schedule.APrime[1];
        using var start = full(256, 2, (float)((mu + 5 * tau) / aPrime));
        var h = schedule.StepSize[0] * schedule.StepSize[0] / (2 * tau * tau);

        var records = new LongRunChains(energy, schedule).Run(start, steps: 600, every: 50, noiseScale: 1.0, seed: 3);

        Assert.Equal(13, records.Count);
        Assert.Equal(0, records[0].Step);
        Assert.Equal(600, records[^1].Step);
        Assert.Equal(-25.0, records[0].MeanLogDensity, 3);
        Assert.Equal(0.0, records[0].MeanDistance, 9);
        var settled = records.TakeLast(4).Average(r => r.MeanLogDensity);
        Assert.InRange(settled, -1 / (1 - h / 2) - 0.2, -1 / (1 - h / 2) + 0.2);
        // From 5τ away along both axes to the mean: about 5τ·√2/a′ travelled.
        Assert.InRange(records[^1].MeanDistance, 0.1, 0.2);
        Assert.Equal(0.0, records[^1].OutOfRangeShare);
    }
}

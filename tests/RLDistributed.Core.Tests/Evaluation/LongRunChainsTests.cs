using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Evaluation.LongRun;
using RLDistributed.Core.Tests.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>Long-run chains on an energy whose stationary law is known.</summary>
public sealed class LongRunChainsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.02, 600)]
    [InlineData(0.05, 3000)]
    public void Run_QuadraticEnergy_RelaxesToTheGaussianAndRecordsEveryInterval(double tau, int steps)
    {
        // log p̃ = −‖y − μ‖²/(2τ²) at level 0; the chain's stationary variance is τ²/(1 − h/2) per coordinate,
        // h = s₀²/(2τ²) (unadjusted Langevin), so the mean log p̃ settles at −(D/2)/(1 − h/2). The chains start
        // 5τ from μ along both axes and need about 1/h steps to forget it.
        const double mu = 0.3;
        var schedule = DiffusionSchedule.Create(6);
        using var energy = new QuadraticEnergy(schedule, mu, tau, dimensions: 2);
        var aPrime = schedule.APrime[1];
        using var start = full(256, 2, (float)((mu + 5 * tau) / aPrime));
        var h = schedule.StepSize[0] * schedule.StepSize[0] / (2 * tau * tau);

        var records = new LongRunChains(energy, schedule).Run(start, steps, every: steps / 12, noiseScale: 1.0, seed: 3);

        foreach (var r in records) output.WriteLine($"step {r.Step}: mean log p̃ {r.MeanLogDensity:F3}, distance {r.MeanDistance:F4}");
        Assert.Equal(13, records.Count);
        Assert.Equal((0, steps), (records[0].Step, records[^1].Step));
        Assert.Equal(-25.0, records[0].MeanLogDensity, 3);
        Assert.Equal(0.0, records[0].MeanDistance, 9);
        var settled = records.TakeLast(4).Average(r => r.MeanLogDensity);
        Assert.InRange(settled, -1 / (1 - h / 2) - 0.2, -1 / (1 - h / 2) + 0.2);
        // From 5τ(1, 1) to a spread of τ per axis around μ: E‖x_k − x_0‖ ≈ τ·√52/a′ ≈ 7.6τ.
        Assert.InRange(records[^1].MeanDistance, 6 * tau, 9.5 * tau);
        Assert.Equal(0.0, records[^1].OutOfRangeShare);
    }
}

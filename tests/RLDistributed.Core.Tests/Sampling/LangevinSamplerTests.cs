using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Sampling;

/// <summary>
/// On a quadratic energy p(x_t | x_{t+1}) is Gaussian: precision λ = 1/τ² + r/σ², mean (μ/τ² + r·x̃/σ²)/λ.
/// The chain is an AR(1) process y ← y − ½s²λ(y − m) + s·ε whose stationary variance is exactly
/// 1/(λ(1 − s²λ/4)) (the unadjusted sampler's own bias, no MH correction, as in the method).
/// </summary>
public sealed class LangevinSamplerTests
{
    private const int Chains = 20_000;
    private const double Mu = 0.3, Tau = 0.1, Start = -0.5;

    [Theory]
    [InlineData(1)] // tethered level
    [InlineData(5)] // top level: r = 0, no tether
    public void Run_QuadraticEnergy_MatchesClosedFormMeanAndVariance(int level)
    {
        using var scope = NewDisposeScope();
        var schedule = DiffusionSchedule.Create(6);
        using var tensors = new ScheduleTensors(schedule, CPU);
        using var energy = new QuadraticEnergy(schedule, Mu, Tau, dimensions: 1);
        var sampler = new LangevinSampler(tensors, new LangevinOptions { StepCount = 400 });
        var xNext = full(Chains, 1, Start);
        var levels = full(Chains, level, dtype: ScalarType.Int64);
        using var generator = new Generator(7);

        var y = sampler.Run(energy, xNext, levels, _ => randn([Chains, 1], generator: generator)).to(ScalarType.Float64);

        var r = schedule.Recovery[level + 1];
        var sigma = schedule.Sigma[level + 1];
        var s = schedule.StepSize[level];
        var precision = 1 / (Tau * Tau) + r / (sigma * sigma);
        var expectedMean = (Mu / (Tau * Tau) + r * Start / (sigma * sigma)) / precision;
        var expectedVariance = 1 / (precision * (1 - s * s * precision / 4));
        var mean = y.mean().item<double>();
        var variance = y.var().item<double>();
        var standardError = Math.Sqrt(expectedVariance / Chains);
        Assert.True(Math.Abs(mean - expectedMean) < 4 * standardError, $"mean {mean}, expected {expectedMean} ± {standardError}");
        // The sample variance of N Gaussians has relative standard error √(2/N) ≈ 1%: allow 4 of them.
        Assert.True(Math.Abs(variance / expectedVariance - 1) < 4 * Math.Sqrt(2.0 / Chains), $"variance {variance}, expected {expectedVariance}");
    }

    [Fact]
    public void Run_ZeroSteps_ReturnsStartUnchanged()
    {
        using var scope = NewDisposeScope();
        var schedule = DiffusionSchedule.Create(6);
        using var tensors = new ScheduleTensors(schedule, CPU);
        using var energy = new QuadraticEnergy(schedule, Mu, Tau, dimensions: 2);
        var start = randn(8, 2);
        var y = new LangevinSampler(tensors, new LangevinOptions { StepCount = 0 }).Run(energy, start, zeros(8, dtype: ScalarType.Int64), _ => zeros(8, 2));
        Assert.True(y.eq(start).all().item<bool>());
    }

    [Fact]
    public void Run_KeepsNoParameterGradients()
    {
        using var scope = NewDisposeScope();
        var schedule = DiffusionSchedule.Create(6);
        using var tensors = new ScheduleTensors(schedule, CPU);
        using var energy = RLDistributed.Core.Models.EnergyModelFactory.Create(RLDistributed.Core.Models.ModelSpec.ForMlp(new RLDistributed.Core.Energy.MlpEnergyNetworkOptions { Hidden = 16, Blocks = 1 }), 1, CPU);
        new LangevinSampler(tensors, new LangevinOptions { StepCount = 3 }).Run(energy, randn(4, 2), zeros(4, dtype: ScalarType.Int64), _ => randn(4, 2));
        Assert.All(energy.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void ToSample_DividesByNextAPrime()
    {
        using var scope = NewDisposeScope();
        var schedule = DiffusionSchedule.Create(6);
        using var tensors = new ScheduleTensors(schedule, CPU);
        var sampler = new LangevinSampler(tensors, new LangevinOptions());
        var x = sampler.ToSample(ones(2, 1), tensor(new long[] { 0, 5 }));
        Assert.Equal(1 / schedule.A[1], x[0, 0].item<float>(), 5);
        Assert.Equal(1.0, x[1, 0].item<float>(), 6); // a′_T = 1
    }
}

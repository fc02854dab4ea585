using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Sampling;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Sampling;

/// <summary>The progress a progressive sampling reports: every level once, in order, and nothing changed by listening.</summary>
public sealed class ProgressiveSamplerProgressTests : IDisposable
{
    private readonly ScheduleTensors _schedule;
    private readonly QuadraticEnergy _energy;
    private readonly ProgressiveSampler _sampler;

    public ProgressiveSamplerProgressTests()
    {
        var schedule = DiffusionSchedule.Create(6);
        _schedule = new ScheduleTensors(schedule, CPU);
        _energy = new QuadraticEnergy(schedule, mean: 0.3, tau: 0.1, dimensions: 2);
        _sampler = new ProgressiveSampler(_schedule, new LangevinOptions { StepCount = 5 });
    }

    public void Dispose()
    {
        _energy.Dispose();
        _schedule.Dispose();
    }

    [Fact]
    public void Sample_WithProgress_ReportsNoneThenEveryLevelOnThisThread_AndDrawsTheSameSamples()
    {
        using var scope = NewDisposeScope();
        var reported = new List<(SamplingProgress Progress, int Thread)>();

        using var unobserved = _sampler.Sample(_energy, 16, seed: 3, CPU);
        using var observed = _sampler.Sample(_energy, 16, seed: 3, CPU,
            progress: p => reported.Add((p, Environment.CurrentManagedThreadId)));

        Assert.Equal(Enumerable.Range(0, 7).Select(done => new SamplingProgress(done, 6)), reported.Select(r => r.Progress));
        Assert.All(reported, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
        Assert.True(observed.Samples.eq(unobserved.Samples).all().item<bool>());
    }

    [Fact]
    public void Sample_CancelledFromTheProgressCallback_StopsBeforeTheNextLevel()
    {
        using var scope = NewDisposeScope();
        using var cancel = new CancellationTokenSource();
        var reported = new List<SamplingProgress>();

        Assert.ThrowsAny<OperationCanceledException>(() => _sampler.Sample(_energy, 16, seed: 3, CPU, cancellationToken: cancel.Token, progress: p =>
        {
            reported.Add(p);
            if (p.LevelsDone == 2) cancel.Cancel();
        }));

        Assert.Equal(2, reported[^1].LevelsDone);
    }
}

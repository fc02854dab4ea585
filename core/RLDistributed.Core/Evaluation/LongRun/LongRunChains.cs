using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation.Likelihood;
using RLDistributed.Core.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.LongRun;

/// <summary>
/// Long Langevin chains on the level-0 EBM, far beyond the K steps of training, to see whether the learned energy
/// keeps samples on the data manifold or lets them drift and saturate (drl-spec.md §13.3). The update is §2's at
/// t = 0 without the tether: y ← y + ½∇_y F(y, 0) + λ·s_0·ε with y = a′_1·x, i.e. the chain of the marginal
/// density F(a′_1·x, 0)/s_0² that AIS normalises, so energy and likelihood speak of the same model.
/// </summary>
public sealed class LongRunChains(EnergyNetwork energy, DiffusionSchedule schedule)
{
    /// <summary>Runs <paramref name="steps"/> steps from <paramref name="start"/> [B, …] (x-space), recording every <paramref name="every"/> steps (and step 0).</summary>
    public IReadOnlyList<LongRunRecord> Run(Tensor start, int steps, int every, double noiseScale, ulong seed,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default, GaussianMixture2D? modes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        var density = new LevelZeroDensity(energy, schedule);
        var aPrime = schedule.APrime[1];
        var noiseSize = noiseScale * schedule.StepSize[0];
        var records = new List<LongRunRecord>();
        using var generator = EvaluationRandom.Generator(seed, "longrun-noise");
        using var outer = NewDisposeScope();
        var origin = start.detach().to(ScalarType.Float32);
        var levels = zeros(origin.shape[0], dtype: ScalarType.Int64, device: origin.device);
        var y = origin * aPrime;
        records.Add(Record(0, density, origin, origin, modes));
        for (var k = 1; k <= steps; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var step = NewDisposeScope())
            {
                var gradient = EnergyGradient.OfInput(energy, y, levels);
                var noise = randn(y.shape, generator: generator).to(y.device);
                y = (y + 0.5 * gradient + noiseSize * noise).detach().MoveToOuterDisposeScope();
            }
            outer.DisposeEverythingBut(origin, levels, y);
            if (k % every == 0 || k == steps)
            {
                using var recordScope = NewDisposeScope();
                records.Add(Record(k, density, y / aPrime, origin, modes));
                progress?.Report(k);
            }
        }
        return records;
    }

    private static LongRunRecord Record(int step, LevelZeroDensity density, Tensor x, Tensor origin, GaussianMixture2D? modes)
    {
        using var scope = NewDisposeScope();
        var flat = x.flatten(1);
        int? covered = null;
        double? near = null;
        double[]? shares = null;
        if (modes is not null && flat.shape[1] == 2)
        {
            var coverage = ModeCoverage.Measure(modes, flat.cpu().contiguous().data<float>().ToArray());
            covered = coverage.ModesCovered(0.5 / modes.Centres.Count);
            near = coverage.ShareWithin;
            shares = coverage.ShareByMode;
        }
        return new LongRunRecord(
            step,
            density.LogDensity(x).mean().item<double>(),
            flat.min().item<float>(),
            flat.max().item<float>(),
            flat.abs().gt(1).to(ScalarType.Float64).mean().item<double>(),
            (flat - origin.flatten(1)).square().sum(1).sqrt().to(ScalarType.Float64).mean().item<double>(),
            covered, near, shares);
    }
}

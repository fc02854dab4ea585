using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Evaluation.Likelihood;
using RLDistributed.Core.Evaluation.Quality;
using RLDistributed.Core.Imaging;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>
/// <c>rld eval</c> for a 2-D model: MMD to held-out data (with the floor of two held-out sets beside it), mode
/// coverage for Gaussian mixtures, log Z by AIS with quadrature of the same energy as a check, test NLL in nats,
/// and the learned density of every level as a picture.
/// </summary>
public static class PointModelEvaluation
{
    /// <summary>Seed offset of held-out points: a different draw from the training set's.</summary>
    private const ulong HeldOutSeedOffset = 1_000_003;

    /// <summary>Quadrature box and resolution (cells of 0.004: a tenth of a toy mode's width).</summary>
    private const double QuadratureExtent = 1.6;
    private const int QuadraturePoints = 800;

    /// <summary>Measures and returns the figures; writes densities.png into the output directory.</summary>
    public static IReadOnlyList<EvaluationFigure> Run(LoadedModel model, EnergyNetwork network, EvaluationSettings settings,
        Device device, Action<string> say, CancellationToken cancellationToken)
    {
        var dataset = model.Manifest.Dataset;
        var figures = new List<EvaluationFigure>();
        using var scope = NewDisposeScope();
        say($"sampling {settings.SampleCount} points");
        var samples = ModelSampling.Draw(model, network, settings.SampleCount, settings.NoiseScale, settings.LangevinSteps, settings.Seed, device, cancellationToken).cpu();
        var heldOutSet = ToyDatasets.Create(dataset, settings.TestCount, settings.Seed + HeldOutSeedOffset);
        var heldOut = EvaluationData.Rows(heldOutSet, 0, heldOutSet.Count);
        var secondHeldOut = EvaluationData.Rows(ToyDatasets.Create(dataset, settings.TestCount, settings.Seed + 2 * HeldOutSeedOffset), 0, settings.TestCount);

        var mmd = MaximumMeanDiscrepancy.Squared(samples, heldOut);
        var floor = MaximumMeanDiscrepancy.Squared(secondHeldOut, heldOut);
        var widths = string.Join(", ", MaximumMeanDiscrepancy.DefaultBandwidths);
        figures.Add(new EvaluationFigure("MMD² samples vs held-out", mmd, null, "", $"Gaussian kernels, widths {widths}; biased estimate"));
        figures.Add(new EvaluationFigure("MMD² held-out vs held-out", floor, null, "", "the same with a second held-out draw: the floor for these sizes"));

        if (heldOutSet is GaussianMixture2D mixture)
        {
            var coverage = ModeCoverage.Measure(mixture, samples.data<float>().ToArray());
            var fair = 1.0 / mixture.Centres.Count;
            figures.Add(new EvaluationFigure("modes covered", coverage.ModesCovered(fair / 2), null, $"of {mixture.Centres.Count}",
                $"modes holding at least half their fair share ({fair / 2:P1}) of the samples"));
            figures.Add(new EvaluationFigure("share within 3 std of a mode", coverage.ShareWithin, null, "", $"mode std {mixture.ModeStd}"));
            figures.Add(new EvaluationFigure("smallest mode share", coverage.ShareByMode.Min(), null, "", $"fair share {fair:P1}"));
        }

        var density = new LevelZeroDensity(network, model.Schedule);
        say($"AIS: {settings.AisDistributions} distributions × {settings.AisChains} chains");
        var (likelihood, estimate) = LikelihoodFigures.Measure(density, heldOut, settings, images: false, device, say, cancellationToken);
        figures.AddRange(likelihood);
        var quadrature = GridQuadrature.LogNormalizer(density, QuadratureExtent, QuadraturePoints, device);
        figures.Add(new EvaluationFigure("log Z (quadrature)", quadrature.LogNormalizer, null, "nats",
            $"midpoint rule, {QuadraturePoints}² cells over [−{QuadratureExtent}, {QuadratureExtent}]², border {quadrature.BorderGap:F0} nats below the peak"));
        if (estimate is not null)
            figures.Add(new EvaluationFigure("AIS − quadrature", estimate.LogNormalizer - quadrature.LogNormalizer, estimate.StandardError, "nats", "agreement of the two log Z"));

        var picture = Path.Combine(settings.OutputDirectory, "densities.png");
        var grids = Enumerable.Range(0, model.Schedule.Levels)
            .Select(t => LevelDensities.Grid(network, model.Schedule, t, extent: 1.5, points: 150, device)).ToArray();
        EvaluationPlots.SaveDensities(picture, grids, extent: 1.5);
        say($"wrote {picture}");
        return figures;
    }
}

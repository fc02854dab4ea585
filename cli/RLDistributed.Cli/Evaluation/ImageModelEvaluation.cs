using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation.Likelihood;
using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>
/// <c>rld eval</c> for an image model: FD-ResNet18 between samples and the data set (data statistics cached), and
/// test NLL in bits/dim from log Z by AIS. Inception FID is not computed: that needs the pytorch-fid Inception network,
/// which this build does not include; the output says so on its own row.
/// </summary>
public static class ImageModelEvaluation
{
    /// <summary>Measures and returns the figures.</summary>
    public static IReadOnlyList<EvaluationFigure> Run(LoadedModel model, EnergyNetwork network, EvaluationSettings settings,
        Device device, Action<string> say, CancellationToken cancellationToken)
    {
        var figures = new List<EvaluationFigure>();
        using var scope = NewDisposeScope();
        var data = EvaluationData.Open(model, settings.DataPath, 0, settings.Seed);
        var reference = EvaluationData.Rows(data, 0, Math.Min(settings.DataCount, data.Count));

        say($"sampling {settings.SampleCount} images");
        var samples = ModelSampling.Draw(model, network, settings.SampleCount, settings.NoiseScale, settings.LangevinSteps, settings.Seed, device, cancellationToken).cpu();
        using (var extractor = new ResNet18Features(threads: settings.Threads))
        {
            var cache = new FeatureStatisticsCache(settings.StatisticsCache);
            say($"data features: {reference.shape[0]} images of {data.Name}");
            var (dataStatistics, fromCache, path) = cache.GetOrCompute(data.Name, reference, extractor, cancellationToken);
            say($"sample features: {samples.shape[0]} images");
            using var sampleFeatures = extractor.Extract(samples, cancellationToken);
            var distance = FrechetDistance.Compute(FeatureStatistics.FromFeatures(sampleFeatures), dataStatistics);
            figures.Add(new EvaluationFigure(extractor.MetricName, distance, null, "",
                $"{samples.shape[0]} samples vs {dataStatistics.Count} data images; ImageNet ResNet18 pool features, not Inception; data statistics {(fromCache ? "from" : "saved to")} {path}"));
        }
        figures.Add(new EvaluationFigure("FID (Inception)", null, null, "",
            "not computed: needs the pytorch-fid Inception network, which this build does not include; FD-ResNet18 values are not comparable with published FID"));

        // The last images of the file serve as held-out examples (the readers load one training file, no test split).
        var testCount = Math.Min(settings.TestCount, data.Count);
        var heldOut = EvaluationData.Rows(data, data.Count - testCount, testCount);
        say($"AIS: {settings.AisDistributions} distributions × {settings.AisChains} chains over {heldOut.shape[1..].Aggregate(1L, (a, b) => a * b)} dimensions");
        var (likelihood, _) = LikelihoodFigures.Measure(new LevelZeroDensity(network, model.Schedule), heldOut, settings, images: true, device, say, cancellationToken);
        figures.AddRange(likelihood);
        return figures;
    }
}

using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>A Fréchet distance between samples and data under one feature network, the data's statistics cached.</summary>
public static class FrechetFigure
{
    /// <summary>Measures the distance and returns it as the figure <paramref name="name"/>, its note starting with the counts and ending with the cache file.</summary>
    public static EvaluationFigure Measure(string name, string featuresNote, IImageFeatureExtractor extractor, FeatureStatisticsCache cache,
        string datasetName, Tensor dataImages, Tensor samples, Action<string> say, CancellationToken cancellationToken)
    {
        say($"{extractor.MetricName}: data features of {dataImages.shape[0]} images of {datasetName}");
        var (dataStatistics, fromCache, path) = cache.GetOrCompute(datasetName, dataImages, extractor, cancellationToken);
        say($"{extractor.MetricName}: sample features of {samples.shape[0]} images");
        using var sampleFeatures = extractor.Extract(samples, cancellationToken);
        var distance = FrechetDistance.Compute(FeatureStatistics.FromFeatures(sampleFeatures), dataStatistics);
        return new EvaluationFigure(name, distance, null, "",
            $"{samples.shape[0]} samples vs {dataStatistics.Count} data images; {featuresNote}; data statistics {(fromCache ? "from" : "saved to")} {path}");
    }
}

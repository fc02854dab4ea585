using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation.Likelihood;
using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>
/// <c>rld eval</c> for an image model: FD-ResNet18 between samples and the data set, the standard FID (Inception) when
/// pytorch-fid's weights are given (data statistics of both cached), and test NLL in bits/dim from log Z by AIS.
/// Without the weights the FID row says that it was not computed and how to get it.
/// </summary>
public static class ImageModelEvaluation
{
    /// <summary>Measures and returns the figures.</summary>
    /// <exception cref="Core.PyTorchFiles.PyTorchFileException">the Inception weights file cannot be used (raised before any sampling).</exception>
    public static IReadOnlyList<EvaluationFigure> Run(LoadedModel model, EnergyNetwork network, EvaluationSettings settings,
        Device device, Action<string> say, CancellationToken cancellationToken)
    {
        var figures = new List<EvaluationFigure>();
        using var scope = NewDisposeScope();
        // The weights are read first, so that a bad file is reported before minutes of sampling.
        using var inception = settings.InceptionWeights is { } weights ? LoadInception(weights, device, say) : null;
        var data = EvaluationData.Open(model, settings.DataPath, 0, settings.Seed);
        var reference = EvaluationData.Rows(data, 0, Math.Min(settings.DataCount, data.Count));

        say($"sampling {settings.SampleCount} images");
        // Each level is a Langevin chain over every image: minutes for a thousand on a CPU, so each one is told.
        var samples = ModelSampling.Draw(model, network, settings.SampleCount, settings.NoiseScale, settings.LangevinSteps, settings.Seed, device, cancellationToken,
            progress => { if (progress.LevelsDone > 0) say($"sampling {settings.SampleCount} images: {progress.LevelsDone}/{progress.Levels} levels"); }).cpu();
        var cache = new FeatureStatisticsCache(settings.StatisticsCache);
        using (var resNet = new ResNet18Features(threads: settings.Threads))
        {
            figures.Add(FrechetFigure.Measure(resNet.MetricName, "ImageNet ResNet18 pool features, not Inception", resNet, cache,
                data.Name, reference, samples, say, cancellationToken));
        }
        figures.Add(inception is null
            ? InceptionFidFigure.NotComputed()
            : FrechetFigure.Measure(InceptionFidFigure.Name, InceptionFidFigure.FeaturesNote(inception), inception, cache,
                data.Name, reference, samples, say, cancellationToken));

        // The last images of the file serve as held-out examples (the readers load one training file, no test split).
        var testCount = Math.Min(settings.TestCount, data.Count);
        var heldOut = EvaluationData.Rows(data, data.Count - testCount, testCount);
        say($"AIS: {settings.AisDistributions} distributions × {settings.AisChains} chains over {heldOut.shape[1..].Aggregate(1L, (a, b) => a * b)} dimensions");
        var (likelihood, _) = LikelihoodFigures.Measure(new LevelZeroDensity(network, model.Schedule), heldOut, settings, images: true, device, say, cancellationToken);
        figures.AddRange(likelihood);
        return figures;
    }

    private static InceptionFeatures LoadInception(string weights, Device device, Action<string> say)
    {
        say($"loading the FID Inception weights {weights}");
        return new InceptionFeatures(weights, device);
    }
}

using System.Diagnostics;
using System.Text.Json;
using RLDistributed.Cli.Commands;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>
/// <c>rld eval progress</c>: sample quality of every kept checkpoint of a run, oldest first, with the same seed for
/// each, so that the figures and the rows of the picture differ only by training. Images are measured by FD-ResNet18
/// against cached data statistics, 2-D models by MMD² to held-out points and by the modes they cover.
/// </summary>
public sealed class TrainingProgressEvaluation(ProgressSettings settings, Device device, Action<string> say)
{
    /// <summary>Seed offset of held-out points, as <see cref="PointModelEvaluation"/> draws them.</summary>
    private const ulong HeldOutSeedOffset = 1_000_003;

    /// <summary>Measures every checkpoint and returns the points and the first samples of each, [checkpoints × columns, …] on the CPU.</summary>
    public (IReadOnlyList<ProgressPoint> Points, Tensor Picture) Run(IReadOnlyList<VerifiedCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        if (checkpoints.Count == 0) throw new ArgumentException("no checkpoints", nameof(checkpoints));
        var points = new List<ProgressPoint>();
        var rows = new List<Tensor>();
        ResNet18Features? features = null;
        FeatureStatistics? dataStatistics = null;
        try
        {
            foreach (var checkpoint in checkpoints)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                using var model = EvaluationOptions.LoadModel(checkpoint.Directory, device);
                var network = settings.UseRawNetwork ? model.Energy : model.Ema;
                var seed = settings.Seed ?? model.Manifest.Training.Seed;
                var steps = settings.LangevinSteps ?? model.Manifest.Training.LangevinSteps;
                var images = model.Manifest.ExampleShape.Length == 3;
                var count = settings.SampleCount ?? (images ? 256 : 2000);
                say($"step {checkpoint.State.NextStep}: sampling {count}");
                var samples = ModelSampling.Draw(model, network, count, settings.NoiseScale, steps, seed, device, cancellationToken).cpu();
                ProgressPoint point;
                if (images)
                {
                    features ??= new ResNet18Features(threads: settings.Threads);
                    dataStatistics ??= DataStatistics(model, seed, features, cancellationToken);
                    using var sampleFeatures = features.Extract(samples, cancellationToken);
                    var distance = FrechetDistance.Compute(FeatureStatistics.FromFeatures(sampleFeatures), dataStatistics);
                    point = new ProgressPoint(checkpoint.State.NextStep, checkpoint.Directory, features.MetricName, distance, null, clock.Elapsed.TotalSeconds);
                }
                else
                {
                    point = MeasurePoints(model.Manifest.Dataset, checkpoint, samples, seed, clock);
                }
                say($"step {point.Step}: {point.Metric} {point.Value:G4}");
                points.Add(point);
                rows.Add(samples.narrow(0, 0, Math.Min(settings.PictureColumns, count)).clone().MoveToOuterDisposeScope());
            }
            return (points, cat(rows, 0));
        }
        finally
        {
            foreach (var row in rows) row.Dispose();
            features?.Dispose();
        }
    }

    /// <summary>Writes the points as JSON.</summary>
    public static void WriteJson(string path, IReadOnlyList<ProgressPoint> points) =>
        File.WriteAllText(path, JsonSerializer.Serialize(points, ModelStore.Json));

    private FeatureStatistics DataStatistics(LoadedModel model, ulong seed, ResNet18Features features, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var data = EvaluationData.Open(model, settings.DataPath, 0, seed);
        var reference = EvaluationData.Rows(data, 0, Math.Min(settings.DataCount, data.Count));
        var (statistics, fromCache, path) = new FeatureStatisticsCache(settings.StatisticsCache).GetOrCompute(data.Name, reference, features, cancellationToken);
        say($"data statistics of {statistics.Count} images of {data.Name} {(fromCache ? "from" : "saved to")} {path}");
        return statistics;
    }

    private static ProgressPoint MeasurePoints(string dataset, VerifiedCheckpoint checkpoint, Tensor samples, ulong seed, Stopwatch clock)
    {
        var heldOutSet = ToyDatasets.Create(dataset, (int)samples.shape[0], seed + HeldOutSeedOffset);
        using var heldOut = EvaluationData.Rows(heldOutSet, 0, heldOutSet.Count);
        var mmd = MaximumMeanDiscrepancy.Squared(samples, heldOut);
        int? covered = heldOutSet is GaussianMixture2D mixture
            ? ModeCoverage.Measure(mixture, samples.data<float>().ToArray()).ModesCovered(0.5 / mixture.Centres.Count)
            : null;
        return new ProgressPoint(checkpoint.State.NextStep, checkpoint.Directory, "MMD²", mmd, covered, clock.Elapsed.TotalSeconds);
    }
}

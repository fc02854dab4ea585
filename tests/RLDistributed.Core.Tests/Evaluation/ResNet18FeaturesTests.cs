using RLDistributed.Core.Evaluation.Quality;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>FD-ResNet18 on real features of the shipped ImageNet ResNet18 (about 40 ms an image on 2 cores).</summary>
public sealed class ResNet18FeaturesTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void FrechetDistance_DataAgainstItselfIsZeroAndGrowsWithAddedNoise()
    {
        using var extractor = new ResNet18Features();
        using var images = SyntheticImages.Discs(count: 64, size: 32, seed: 4);
        using var noise = randn(images.shape, generator: new Generator(9));
        var directory = Directory.CreateTempSubdirectory("rld-fd-cache-").FullName;
        try
        {
            var cache = new FeatureStatisticsCache(directory);
            var (reference, firstFromCache, _) = cache.GetOrCompute("discs", images, extractor);
            var (again, secondFromCache, path) = cache.GetOrCompute("discs", images, extractor);

            var distances = new List<double> { FrechetDistance.Compute(reference, again) };
            foreach (var level in new[] { 0.05, 0.15, 0.4 })
            {
                using var noisy = (images + level * noise).clamp(-1, 1);
                using var features = extractor.Extract(noisy);
                distances.Add(FrechetDistance.Compute(reference, FeatureStatistics.FromFeatures(features)));
            }

            output.WriteLine($"FD-ResNet18 at noise 0, 0.05, 0.15, 0.4: {string.Join(", ", distances.Select(d => d.ToString("F3")))}");
            Assert.False(firstFromCache);
            Assert.True(secondFromCache, "the second call must read the cache");
            Assert.StartsWith("discs-FD-ResNet18-", Path.GetFileName(path));
            Assert.Equal(512, reference.Dimensions);
            Assert.True(distances[0] < 1e-6, $"FD to itself {distances[0]}");
            for (var i = 1; i < distances.Count; i++)
                Assert.True(distances[i] > distances[i - 1] * 1.2, $"not increasing: {string.Join(", ", distances)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Cache_OtherImages_OtherFile()
    {
        using var first = SyntheticImages.Discs(4, 8, seed: 1);
        using var second = SyntheticImages.Discs(4, 8, seed: 2);
        var cache = new FeatureStatisticsCache("/tmp/unused");

        Assert.NotEqual(cache.PathFor("discs", first, "FD-ResNet18"), cache.PathFor("discs", second, "FD-ResNet18"));
        Assert.Equal(cache.PathFor("discs", first, "FD-ResNet18"), cache.PathFor("discs", first.clone(), "FD-ResNet18"));
    }
}

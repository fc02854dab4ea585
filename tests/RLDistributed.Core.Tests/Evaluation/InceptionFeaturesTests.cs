using RLDistributed.Core.Evaluation.Quality;
using RLDistributed.Core.PyTorchFiles;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>
/// The FID Inception network against PyTorch's (tests/peers/fid_inception_reference.py): the same seeded random
/// weights, the same images, the same 2048 features. About 6 GFLOP an image at 299×299, so a few images only.
/// </summary>
[Collection(FidInceptionReferenceCollection.Name)]
public sealed class InceptionFeaturesTests(FidInceptionReference reference, Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("grey")]
    [InlineData("rgb")]
    public void Extract_ReferenceWeights_MatchPyTorchFeatures(string set)
    {
        using var scope = NewDisposeScope();
        var expected = reference.Features(set);

        var features = reference.Extractor.Extract(reference.Images(set));

        var scale = expected.abs().max().item<float>();
        var error = (features - expected).abs().max().item<float>();
        var betweenImages = (expected[0] - expected[1]).abs().max().item<float>();
        output.WriteLine($"{set}: max |C# − PyTorch| {error:E2}, feature scale (max |f|) {scale:F2}, relative {error / scale:E2}; the two images differ by up to {betweenImages:F2}");
        Assert.Equal([FidInceptionReference.ImagesPerSet, 2048L], features.shape);
        Assert.True(error <= 1e-4 * scale, $"features differ from PyTorch's by {error} at a scale of {scale}");
        Assert.True(betweenImages > 1e3 * error, "the images' features must differ far more than the two implementations do");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void FrechetDistance_SetAgainstItselfAndAgainstPyTorchFeaturesOfIt_IsZero()
    {
        using var scope = NewDisposeScope();
        var images = cat([reference.Images("rgb"), reference.Images("grey").expand(-1, 3, -1, -1)]);
        var directory = Directory.CreateTempSubdirectory("rld-fid-cache-").FullName;
        try
        {
            var cache = new FeatureStatisticsCache(directory);
            var (statistics, firstFromCache, path) = cache.GetOrCompute("reference", images, reference.Extractor);
            var (cached, secondFromCache, _) = cache.GetOrCompute("reference", images, reference.Extractor);
            var reversed = FeatureStatistics.FromFeatures(reference.Extractor.Extract(images.flip(0)));
            var pyTorch = FeatureStatistics.FromFeatures(cat([reference.Features("rgb"), reference.Features("grey")]));
            // Tr Σ: the size of a Fréchet distance between two different draws of a distribution with this spread.
            var spread = Enumerable.Range(0, statistics.Dimensions).Sum(i => statistics.Covariance[i * statistics.Dimensions + i]);

            var itself = FrechetDistance.Compute(statistics, reversed);
            var againstPyTorch = FrechetDistance.Compute(statistics, pyTorch);
            output.WriteLine($"FID: the set against itself reordered {itself:E2}, against PyTorch's features of it {againstPyTorch:E2}; Tr Σ {spread:F2}");
            Assert.False(firstFromCache);
            Assert.True(secondFromCache, "the second call must read the cache");
            Assert.Equal(statistics.Mean, cached.Mean);
            Assert.StartsWith($"reference-FID-Inception-{reference.Extractor.WeightsSha256[..8]}-", Path.GetFileName(path));
            Assert.True(itself < 1e-6 * spread, $"FID of the set against itself: {itself}");
            Assert.True(againstPyTorch < 1e-4 * spread, $"FID against PyTorch's features of the same images: {againstPyTorch}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_WeightsOfAnotherNetwork_ListsWhatIsMissingMisshapenAndUnexpected()
    {
        var path = reference["refused-wrong-keys.pth"];

        var error = Assert.Throws<PyTorchFileException>(() => new InceptionFeatures(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("not the weights of pytorch-fid's Inception network", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 missing (Mixed_7c.branch_pool.bn.running_var)", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 of another shape (fc.weight [1000, 2048], expected [1008, 2048])", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 unexpected (AuxLogits.fc.weight)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricName_NamesTheWeightsByHash_AndTheReleaseIsRecognisedByIt()
    {
        Assert.Equal($"FID-Inception-{reference.Extractor.WeightsSha256[..8]}", reference.Extractor.MetricName);
        Assert.Equal(64, reference.Extractor.WeightsSha256.Length);
        Assert.False(reference.Extractor.IsReleaseFile, "random weights are not pytorch-fid's file");
        Assert.Equal(2048, reference.Extractor.Dimensions);
    }
}

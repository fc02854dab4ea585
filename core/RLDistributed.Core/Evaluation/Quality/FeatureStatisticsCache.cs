using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>
/// Feature statistics of data sets, kept on disk so that a data set's features are computed once per feature
/// network. A file is named by the data set, the metric, and a SHA-256 of the exact images used (their float32
/// bytes), so another subset, order or version of the data gets its own entry and a stale one is never read.
/// </summary>
public sealed class FeatureStatisticsCache(string directory)
{
    /// <summary>The cache folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>The default folder: $XDG_CACHE_HOME/rld/feature-statistics, else ~/.cache/rld/feature-statistics.</summary>
    public static string DefaultDirectory()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "rld", "feature-statistics");
    }

    /// <summary>The statistics of <paramref name="images"/> under <paramref name="extractor"/>, from the cache when present.</summary>
    public (FeatureStatistics Statistics, bool FromCache, string Path) GetOrCompute(string datasetName, Tensor images,
        IImageFeatureExtractor extractor, CancellationToken cancellationToken = default)
    {
        var path = PathFor(datasetName, images, extractor.MetricName);
        if (FeatureStatistics.TryLoad(path) is { } cached && cached.Dimensions == extractor.Dimensions) return (cached, true, path);
        using var features = extractor.Extract(images, cancellationToken);
        var statistics = FeatureStatistics.FromFeatures(features);
        System.IO.Directory.CreateDirectory(Directory);
        statistics.Save(path);
        return (statistics, false, path);
    }

    /// <summary>The cache file for these exact images: &lt;dataset&gt;-&lt;metric&gt;-&lt;first 16 hex digits of SHA-256&gt;.stats.</summary>
    public string PathFor(string datasetName, Tensor images, string metricName)
    {
        using var scope = NewDisposeScope();
        var values = images.detach().cpu().to(ScalarType.Float32).contiguous();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes<long>(values.shape));
        sha.AppendData(values.bytes);
        var hash = Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
        var safeName = string.Concat(datasetName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return Path.Combine(Directory, $"{safeName}-{metricName}-{hash}.stats");
    }
}

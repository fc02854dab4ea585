using System.Security.Cryptography;
using RLDistributed.Core.Evaluation.Quality.Inception;
using RLDistributed.Core.PyTorchFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>
/// The 2048 pool3 features of the Inception network of FID, computed as pytorch-fid computes them: images in [0, 1]
/// (greyscale repeated to RGB) resized to 299×299 by bilinear interpolation (align_corners false), scaled to
/// [−1, 1], through pytorch-fid's variant of torchvision's Inception v3 with the weights of its file
/// <see cref="ReleaseFileName"/>, which the user supplies. The Fréchet distance on these features is the standard FID.
/// </summary>
public sealed class InceptionFeatures : IImageFeatureExtractor, IDisposable
{
    /// <summary>The name of pytorch-fid's weights file; its last part is the start of the file's SHA-256.</summary>
    public const string ReleaseFileName = "pt_inception-2015-12-05-6726825d.pth";

    /// <summary>Where pytorch-fid publishes <see cref="ReleaseFileName"/>.</summary>
    public const string ReleaseUrl = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + ReleaseFileName;

    /// <summary>The first hex digits of the release file's SHA-256, as its name carries them.</summary>
    public const string ReleaseHashPrefix = "6726825d";

    /// <summary>Side of the network's square input.</summary>
    public const int InputSize = 299;

    /// <summary>Images per forward pass. Default 16 (about 0.5 GB of activations on the CPU).</summary>
    public const int DefaultBatchSize = 16;

    private readonly FidInceptionNetwork _network;
    private readonly Device _device;
    private readonly int _batchSize;

    /// <summary>Builds the network and loads the weights in <paramref name="weightsPath"/> strictly.</summary>
    /// <param name="weightsPath">A torch.save state dict of the network, normally pytorch-fid's <see cref="ReleaseFileName"/>.</param>
    /// <param name="device">Where the network runs; null for the CPU.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <exception cref="PyTorchFileException">the file cannot be read, or does not hold exactly the network's tensors.</exception>
    public InceptionFeatures(string weightsPath, Device? device = null, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        WeightsPath = weightsPath;
        WeightsSha256 = Sha256Of(weightsPath);
        _device = device ?? CPU;
        _batchSize = batchSize;
        _network = new FidInceptionNetwork();
        try
        {
            FidInceptionWeights.Load(_network, weightsPath);
            _network.to(_device);
            _network.eval();
        }
        catch
        {
            _network.Dispose();
            throw;
        }
    }

    /// <summary>The weights file.</summary>
    public string WeightsPath { get; }

    /// <summary>SHA-256 of the weights file, lower-case hex.</summary>
    public string WeightsSha256 { get; }

    /// <summary>Whether the weights are pytorch-fid's release file (by its SHA-256), so that values compare with published FID.</summary>
    public bool IsReleaseFile => WeightsSha256.StartsWith(ReleaseHashPrefix, StringComparison.Ordinal);

    /// <summary>"FID-Inception-" and the first 8 hex digits of the weights' SHA-256: features of other weights are cached apart.</summary>
    public string MetricName => $"FID-Inception-{WeightsSha256[..8]}";

    /// <inheritdoc />
    public int Dimensions => FidInceptionNetwork.FeatureCount;

    /// <inheritdoc />
    public Tensor Extract(Tensor images, CancellationToken cancellationToken = default)
    {
        if (images.dim() != 4 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"expected images [N, 1 or 3, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        var count = images.shape[0];
        var features = zeros(count, Dimensions, dtype: ScalarType.Float32);
        using var noGrad = no_grad();
        for (long start = 0; start < count; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var length = Math.Min(_batchSize, count - start);
            var batch = NetworkInput(images.narrow(0, start, length).detach().to(ScalarType.Float32, _device));
            features.narrow(0, start, length).copy_(_network.forward(batch).cpu());
        }
        return features;
    }

    /// <summary>pytorch-fid's input: [−1, 1] → [0, 1], grey to RGB, bilinear to 299×299, then 2x − 1.</summary>
    private static Tensor NetworkInput(Tensor images)
    {
        var pixels = (images + 1) / 2;
        if (pixels.shape[1] == 1) pixels = pixels.expand(-1, 3, -1, -1);
        var resized = nn.functional.interpolate(pixels, [InputSize, InputSize], mode: InterpolationMode.Bilinear, align_corners: false);
        return 2 * resized - 1;
    }

    private static string Sha256Of(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PyTorchFileException(path, $"cannot be read ({e.Message})", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();
}

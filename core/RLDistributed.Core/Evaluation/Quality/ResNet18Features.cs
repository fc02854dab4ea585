using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using TorchSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>
/// The 512 pooled features of the ImageNet ResNet18 shipped in NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18, run
/// with ONNX Runtime as that package's ML.NET featurizer runs it: RGB planes in 0..255 resized to 224×224, the
/// package's own preprocessing graph (per-channel mean subtraction), then the network up to its global pooling.
/// The metric built on it is FD-ResNet18: a Fréchet distance like FID's, on other features, so its values are not
/// comparable with published (Inception) FID numbers.
/// </summary>
public sealed class ResNet18Features : IImageFeatureExtractor, IDisposable
{
    /// <summary>Folder of the two ONNX files beside the program (build/ResNet18Featurizer.targets puts them there).</summary>
    public const string DefaultModelFolder = "DnnImageModels";

    /// <summary>Side of the network's square input.</summary>
    public const int InputSize = 224;

    private const string PreprocessFile = "ResNetPrepOnnx/ResNetPreprocess.onnx";
    private const string NetworkFile = "ResNet18Onnx/ResNet18.onnx";

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;
    private readonly string _preprocessInput, _networkInput;

    /// <summary>Loads the two graphs from <paramref name="modelFolder"/> (default: beside the program).</summary>
    /// <exception cref="FileNotFoundException">a model file is missing.</exception>
    public ResNet18Features(string? modelFolder = null, int threads = 0)
    {
        var folder = modelFolder ?? Path.Combine(AppContext.BaseDirectory, DefaultModelFolder);
        foreach (var file in new[] { PreprocessFile, NetworkFile })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) throw new FileNotFoundException($"the ResNet18 model file is missing: {path}", path);
        }
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        _preprocess = new InferenceSession(Path.Combine(folder, PreprocessFile), options);
        _network = new InferenceSession(Path.Combine(folder, NetworkFile), options);
        _preprocessInput = _preprocess.InputMetadata.Keys.Single();
        _networkInput = _network.InputMetadata.Keys.Single();
    }

    /// <inheritdoc />
    public string MetricName => "FD-ResNet18";

    /// <inheritdoc />
    public int Dimensions => 512;

    /// <inheritdoc />
    public Tensor Extract(Tensor images, CancellationToken cancellationToken = default)
    {
        if (images.dim() != 4 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"expected images [N, 1 or 3, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        var count = (int)images.shape[0];
        var features = new float[count * Dimensions];
        for (var n = 0; n < count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pixels = NetworkPixels(images.narrow(0, n, 1));
            var input = new DenseTensor(pixels, [1, 3, InputSize, InputSize]);
            using var prepared = _preprocess.Run([NamedOnnxValue.CreateFromTensor(_preprocessInput, input)]);
            var normalised = prepared.First().AsTensor<float>();
            using var pooled = _network.Run([NamedOnnxValue.CreateFromTensor(_networkInput, normalised)]);
            var output = pooled.First().AsEnumerable<float>().ToArray();
            if (output.Length != Dimensions) throw new InvalidOperationException($"the network gave {output.Length} features, expected {Dimensions}");
            output.CopyTo(features, n * Dimensions);
        }
        return tensor(features).reshape(count, Dimensions);
    }

    /// <summary>One image in [−1, 1] → RGB planes in 0..255 at 224×224 (grey repeated), bilinear as ML.NET's resize.</summary>
    private static float[] NetworkPixels(Tensor image)
    {
        using var scope = NewDisposeScope();
        var levels = ((image.detach().cpu().to(ScalarType.Float32) + 1) * 127.5).clamp(0, 255);
        if (levels.shape[1] == 1) levels = levels.expand(1, 3, levels.shape[2], levels.shape[3]);
        var resized = nn.functional.interpolate(levels, [InputSize, InputSize], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.contiguous().data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
    }
}

using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality;

/// <summary>Maps images to feature vectors for a Fréchet distance.</summary>
public interface IImageFeatureExtractor
{
    /// <summary>The metric's name as printed and as part of cache keys, e.g. "FD-ResNet18".</summary>
    string MetricName { get; }

    /// <summary>Feature dimension D.</summary>
    int Dimensions { get; }

    /// <summary>Features [N, D] (float32, CPU) of images [N, C, H, W] in [−1, 1], C = 1 or 3.</summary>
    Tensor Extract(Tensor images, CancellationToken cancellationToken = default);
}

using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Quality.Inception;

/// <summary>The pools of the blocks, as pytorch-fid's FID variants of torchvision's blocks have them.</summary>
internal static class InceptionPooling
{
    /// <summary>
    /// 3×3 average, stride 1, padding 1, dividing by the pixels inside the image only: the FID weights come from
    /// TensorFlow, whose average pool does not count padding (torchvision's blocks do, pytorch-fid's do not).
    /// </summary>
    public static Tensor Average(Tensor input) => nn.functional.avg_pool2d(input, 3, stride: 1, padding: 1, count_include_pad: false);

    /// <summary>3×3 max, stride 1, padding 1: the last block's pool in the TensorFlow graph (pytorch-fid's FIDInceptionE_2).</summary>
    public static Tensor SameSizeMax(Tensor input) => nn.functional.max_pool2d(input, 3, stride: 1, padding: 1);

    /// <summary>3×3 max, stride 2, no padding: the reduction between stages.</summary>
    public static Tensor Reduce(Tensor input) => nn.functional.max_pool2d(input, 3, stride: 2);
}

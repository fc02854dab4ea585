using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// The 2×2 average pooling of the image network (drl-spec.md §4), stride 2, computed as a depthwise convolution whose
/// weights are all ¼: the same operation (each output the mean of its 2×2 window; the gradient ¼ of the output's to
/// each of the four inputs, exactly), where libtorch's CPU avg_pool2d runs a scalar loop. avg_pool2d forward and
/// backward were a tenth of the samples of a fashion-mnist training iteration; with the convolution the iteration
/// (batch 16, one thread) took 771–804 ms against 835–840 ms, alternating in one session. On the GPU both are cheap.
/// </summary>
public static class AveragePooling
{
    /// <summary>[B, C, H, W] → [B, C, ⌊H/2⌋, ⌊W/2⌋].</summary>
    public static Tensor TwoByTwo(Tensor h)
    {
        var channels = h.shape[1];
        var quarter = full([channels, 1, 2, 2], 0.25, dtype: h.dtype, device: h.device);
        return nn.functional.conv2d(h, quarter, strides: [2, 2], groups: channels);
    }
}

using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// Square-kernel 2-D convolution, stride 1, "same" padding, with a spectrally normalised kernel
/// (see <see cref="SpectralNormLayer"/>). Input [B, in, H, W] → output [B, out, H, W].
/// </summary>
public sealed class SpectralConv2d : SpectralNormLayer
{
    private readonly long _padding;

    /// <summary>Creates the layer; the kernel size must be odd so that "same" padding is symmetric.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Kernel height and width. Defaults to 3.</param>
    /// <param name="initScale">Variance-scaling scale. Defaults to 1 (Glorot uniform).</param>
    /// <param name="lowerBound">Use the shrink-only normalisation. Defaults to false.</param>
    /// <param name="generator">Random source for initialisation; null uses the global one.</param>
    /// <param name="taps">The network's parameter taps; null: the layer's own.</param>
    public SpectralConv2d(string name, long inChannels, long outChannels, long kernelSize = 3, double initScale = 1.0,
        bool lowerBound = false, Generator? generator = null, ParameterTaps? taps = null)
        : base(name, [outChannels, inChannels, ValidKernel(kernelSize), kernelSize], initScale, lowerBound, generator, taps)
    {
        _padding = kernelSize / 2;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
        => nn.functional.conv2d(input, NormalizedWeight(), Taps.Use(Bias), padding: [_padding, _padding]);

    private static long ValidKernel(long kernelSize) => kernelSize > 0 && kernelSize % 2 == 1
        ? kernelSize
        : throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "the kernel size must be odd and positive");
}

using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Core.Energy;

/// <summary>Shape of an <see cref="ImageEnergyNetwork"/> (drl-spec.md §4).</summary>
public sealed class ImageEnergyNetworkOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Rld:EnergyNetwork";

    /// <summary>Base width ch; also the sinusoidal embedding size. Even, at least <see cref="MinChannels"/> (16). Defaults to 128.</summary>
    [Range(MinChannels, 4096)] public int Channels { get; init; } = ImageEnergyNetworkConstants.DefaultChannels;

    /// <summary>Per-level width multipliers; level i has ch·mult[i] channels. Defaults to (1, 2, 2, 2).</summary>
    [Required] public IReadOnlyList<int> ChannelMultipliers { get; init; } = ImageEnergyNetworkConstants.DefaultChannelMultipliers;

    /// <summary>Residual blocks per level. Defaults to 2.</summary>
    [Range(1, 64)] public int ResBlocksPerLevel { get; init; } = ImageEnergyNetworkConstants.DefaultResBlocksPerLevel;

    /// <summary>Input channels C. Defaults to 3.</summary>
    [Range(1, 64)] public int ImageChannels { get; init; } = ImageEnergyNetworkConstants.DefaultImageChannels;

    /// <summary>Input height and width; must be divisible by 2^(levels − 1). Defaults to 32.</summary>
    [Range(1, 4096)] public int ImageSize { get; init; } = ImageEnergyNetworkConstants.DefaultImageSize;

    /// <summary>Nonlinearity. Defaults to leaky ReLU 0.2.</summary>
    public EnergyActivation Activation { get; init; } = EnergyActivation.LeakyRelu;

    /// <summary>Dropout probability inside each residual block, in [0, 1). Defaults to 0.</summary>
    [Range(0.0, 0.999999)] public double Dropout { get; init; }

    /// <summary>Width of the time-embedding MLP, 4·ch (512 at ch = 128).</summary>
    public int EmbeddingWidth => ImageEnergyNetworkConstants.EmbeddingWidthMultiplier * Channels;

    /// <summary>Channels after the last level, ch·mult[^1]: the size of the head's feature vector.</summary>
    public int OutputChannels => Channels * ChannelMultipliers[^1];

    /// <summary>The CIFAR-10 setting: ch 128, mult (1, 2, 2, 2), 8 blocks, 3×32×32 (34,833,408 parameters).</summary>
    public static ImageEnergyNetworkOptions Cifar10() => new()
    {
        ResBlocksPerLevel = ImageEnergyNetworkConstants.Cifar10ResBlocksPerLevel,
    };

    /// <summary>
    /// A CPU-sized network for grey MNIST-like images (drl-spec.md §13.4): ch 32, mult (1, 2, 2), 1 block, 1 channel.
    /// </summary>
    /// <param name="imageSize">28 or 32 (MNIST padded to 32); any multiple of 4 works.</param>
    public static ImageEnergyNetworkOptions SmallGreyscale(int imageSize = 32) => new()
    {
        Channels = 32,
        ChannelMultipliers = Array.AsReadOnly([1, 2, 2]),
        ResBlocksPerLevel = 1,
        ImageChannels = 1,
        ImageSize = imageSize,
    };

    /// <summary>
    /// The fewest base channels: every convolution of the network then has at least 16 output channels, the shapes whose
    /// CPU backward is finite and repeatable with the libtorch this build ships (ConvolutionBackwardTests).
    /// </summary>
    public const int MinChannels = 16;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Channels < MinChannels || Channels % 2 != 0)
            throw new ArgumentException(
                $"{nameof(Channels)} must be even and at least {MinChannels}, got {Channels}: libtorch's CPU backward of a 3×3 convolution with fewer "
                + "than 16 output channels returned NaN or varying gradients (bench/RESULTS.md, 2026-12-04)", nameof(Channels));
        if (ChannelMultipliers is null || ChannelMultipliers.Count == 0)
            throw new ArgumentException($"{nameof(ChannelMultipliers)} must name at least one level", nameof(ChannelMultipliers));
        if (ChannelMultipliers.Any(m => m < 1))
            throw new ArgumentException($"{nameof(ChannelMultipliers)} must all be at least 1, got ({string.Join(", ", ChannelMultipliers)})", nameof(ChannelMultipliers));
        if (ResBlocksPerLevel < 1)
            throw new ArgumentException($"{nameof(ResBlocksPerLevel)} must be at least 1, got {ResBlocksPerLevel}", nameof(ResBlocksPerLevel));
        if (ImageChannels < 1)
            throw new ArgumentException($"{nameof(ImageChannels)} must be at least 1, got {ImageChannels}", nameof(ImageChannels));
        var downsampling = 1 << (ChannelMultipliers.Count - 1);
        if (ImageSize < downsampling || ImageSize % downsampling != 0)
            throw new ArgumentException($"{nameof(ImageSize)} must be a positive multiple of {downsampling} for {ChannelMultipliers.Count} levels, got {ImageSize}", nameof(ImageSize));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentException($"{nameof(Dropout)} must be in [0, 1), got {Dropout}", nameof(Dropout));
        if (!Enum.IsDefined(Activation))
            throw new ArgumentException($"{nameof(Activation)} {Activation} is not defined", nameof(Activation));
    }
}

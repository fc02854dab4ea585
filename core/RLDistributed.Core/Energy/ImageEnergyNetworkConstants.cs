namespace RLDistributed.Core.Energy;

/// <summary>Defaults of <see cref="ImageEnergyNetworkOptions"/> (drl-spec.md §4).</summary>
public static class ImageEnergyNetworkConstants
{
    /// <summary>Base width ch.</summary>
    public const int DefaultChannels = 128;

    /// <summary>Residual blocks per resolution level (network.py default; CIFAR-10 uses 8).</summary>
    public const int DefaultResBlocksPerLevel = 2;

    /// <summary>RGB input.</summary>
    public const int DefaultImageChannels = 3;

    /// <summary>Image height and width.</summary>
    public const int DefaultImageSize = 32;

    /// <summary>Residual blocks per level in the CIFAR-10 README setting.</summary>
    public const int Cifar10ResBlocksPerLevel = 8;

    /// <summary>Width multiplier of the time-embedding MLP over ch (128 → 512, the DDPM layout network.py keeps).</summary>
    public const int EmbeddingWidthMultiplier = 4;

    /// <summary>The 32-px channel multipliers (1, 2, 2, 2).</summary>
    public static IReadOnlyList<int> DefaultChannelMultipliers { get; } = Array.AsReadOnly([1, 2, 2, 2]);
}

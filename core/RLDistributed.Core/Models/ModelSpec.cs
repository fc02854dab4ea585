using RLDistributed.Core.Energy;

namespace RLDistributed.Core.Models;

/// <summary>Which energy network, and its size. Exactly one of the option sets matches <see cref="Architecture"/>.</summary>
public sealed record ModelSpec
{
    /// <summary>"mlp" (2-D data) or "resnet" (the authors' image network).</summary>
    public required string Architecture { get; init; }

    /// <summary>Size of the MLP energy when <see cref="Architecture"/> is "mlp".</summary>
    public MlpEnergyNetworkOptions? Mlp { get; init; }

    /// <summary>Size of the image network when <see cref="Architecture"/> is "resnet".</summary>
    public ImageEnergyNetworkOptions? Image { get; init; }

    /// <summary>An image network spec.</summary>
    public static ModelSpec ForImage(ImageEnergyNetworkOptions options) => new() { Architecture = "resnet", Image = options };

    /// <summary>An MLP energy spec.</summary>
    public static ModelSpec ForMlp(MlpEnergyNetworkOptions options) => new() { Architecture = "mlp", Mlp = options };
}

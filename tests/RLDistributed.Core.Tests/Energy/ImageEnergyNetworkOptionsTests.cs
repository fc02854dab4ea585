using RLDistributed.Core.Energy;

namespace RLDistributed.Core.Tests.Energy;

/// <summary>Validation and presets of <see cref="ImageEnergyNetworkOptions"/>.</summary>
public sealed class ImageEnergyNetworkOptionsTests
{
    public static TheoryData<ImageEnergyNetworkOptions, string> InvalidOptions => new()
    {
        { new ImageEnergyNetworkOptions { Channels = 7 }, nameof(ImageEnergyNetworkOptions.Channels) },
        { new ImageEnergyNetworkOptions { Channels = 8 }, nameof(ImageEnergyNetworkOptions.Channels) }, // below 16: see ConvolutionBackwardTests
        { new ImageEnergyNetworkOptions { Channels = 17 }, nameof(ImageEnergyNetworkOptions.Channels) },
        { new ImageEnergyNetworkOptions { ChannelMultipliers = [] }, nameof(ImageEnergyNetworkOptions.ChannelMultipliers) },
        { new ImageEnergyNetworkOptions { ChannelMultipliers = [1, 0] }, nameof(ImageEnergyNetworkOptions.ChannelMultipliers) },
        { new ImageEnergyNetworkOptions { ResBlocksPerLevel = 0 }, nameof(ImageEnergyNetworkOptions.ResBlocksPerLevel) },
        { new ImageEnergyNetworkOptions { ImageChannels = 0 }, nameof(ImageEnergyNetworkOptions.ImageChannels) },
        { new ImageEnergyNetworkOptions { ImageSize = 28 }, nameof(ImageEnergyNetworkOptions.ImageSize) },
        { new ImageEnergyNetworkOptions { Dropout = 1.0 }, nameof(ImageEnergyNetworkOptions.Dropout) },
        { new ImageEnergyNetworkOptions { Activation = (EnergyActivation)42 }, nameof(ImageEnergyNetworkOptions.Activation) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_BadOption_ThrowsNamingIt(ImageEnergyNetworkOptions options, string expectedName)
    {
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(expectedName, ex.ParamName);
    }

    [Fact]
    public void Cifar10_Preset_MatchesReadme()
    {
        var options = ImageEnergyNetworkOptions.Cifar10();
        options.Validate();
        Assert.Equal(128, options.Channels);
        Assert.Equal([1, 2, 2, 2], options.ChannelMultipliers);
        Assert.Equal(8, options.ResBlocksPerLevel);
        Assert.Equal(512, options.EmbeddingWidth);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    public void SmallGreyscale_Preset_IsValid(int imageSize)
    {
        var options = ImageEnergyNetworkOptions.SmallGreyscale(imageSize);
        options.Validate();
        Assert.Equal(1, options.ImageChannels);
        Assert.Equal(imageSize, options.ImageSize);
    }
}

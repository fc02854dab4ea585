using RLDistributed.Cli.Data;
using RLDistributed.Core.Data;

namespace RLDistributed.Cli.Tests.Data;

public sealed class DatasetSourcesTests
{
    [Fact]
    public void All_EveryFile_HasPositiveSizeAndLowerHexSha256()
    {
        Assert.All(DatasetSources.All.SelectMany(s => s.Files), f =>
        {
            Assert.True(f.Size > 0);
            Assert.Matches("^[0-9a-f]{64}$", f.Sha256);
        });
    }

    [Fact]
    public void All_Names_AreTheImageSetsOfTheCatalog()
    {
        Assert.Equal(DatasetCatalog.ImageNames, DatasetSources.All.Select(s => s.Name));
    }

    [Fact]
    public void Find_OtherCase_FindsSource()
    {
        Assert.Same(DatasetSources.FashionMnist, DatasetSources.Find("Fashion-MNIST"));
        Assert.Null(DatasetSources.Find("imagenet"));
    }
}

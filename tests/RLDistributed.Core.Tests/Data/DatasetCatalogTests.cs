using RLDistributed.Core.Data;

namespace RLDistributed.Core.Tests.Data;

public sealed class DatasetCatalogTests
{
    [Fact]
    public void Open_ToyName_DefaultCountDeterministic()
    {
        var a = DatasetCatalog.Open("8gaussians", null, padTo32: false, seed: 5);
        var b = DatasetCatalog.Open("8gaussians", "/ignored", padTo32: true, seed: 5);

        Assert.Equal(ToyDatasets.DefaultCount, a.Count);
        Span<float> pa = stackalloc float[2], pb = stackalloc float[2];
        a.CopyExample(1234, pa);
        b.CopyExample(1234, pb);
        Assert.Equal(pa.ToArray(), pb.ToArray());
    }

    [Fact]
    public void Open_UnknownName_ThrowsListingNames()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetCatalog.Open("imagenet", null, false, 0));

        Assert.All(DatasetCatalog.Names, n => Assert.Contains(n, error.Message));
    }

    [Fact]
    public void Open_MnistDirectoryWithoutImages_ThrowsNamingExpectedFile()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<DataFormatException>(() => DatasetCatalog.Open("mnist", dir.Path, false, 0));

        Assert.Contains("train-images-idx3-ubyte", error.Message);
        Assert.StartsWith(dir.Path, error.FilePath);
    }

    [Fact]
    public void Open_MnistDirectory_ReadsImagesAndLabels()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), DataFileWriter.IdxImages(4, 28, 28, (n, _, _) => (byte)n));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte.gz"), DataFileWriter.Gzip(DataFileWriter.IdxLabels([0, 1, 2, 3])));

        var data = Assert.IsType<ImageDataset>(DatasetCatalog.Open("mnist", dir.Path, padTo32: true, 0));

        Assert.Equal(new[] { 1, 32, 32 }, data.ExampleShape);
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, data.Labels);
    }

    [Fact]
    public void Open_FashionMnistFromDebianPackage_Reads60000ImagesInRange()
    {
        // Returns early (passes) only when the Debian package dataset-fashion-mnist is not installed.
        if (!Directory.Exists(DatasetCatalog.DefaultFashionMnistDirectory)) return;

        var data = Assert.IsType<ImageDataset>(DatasetCatalog.Open("fashion-mnist", null, padTo32: false, 0));

        Assert.Equal(60000, data.Count);
        Assert.Equal(new[] { 1, 28, 28 }, data.ExampleShape);
        Assert.Equal(60000, data.Labels!.Count);
        Assert.All(data.Labels, l => Assert.InRange(l, (byte)0, (byte)9));
        var example = new float[28 * 28];
        float min = float.MaxValue, max = float.MinValue;
        for (var i = 0; i < data.Count; i += 997)
        {
            data.CopyExample(i, example);
            min = Math.Min(min, example.Min());
            max = Math.Max(max, example.Max());
        }
        Assert.Equal(-1f, min);
        Assert.Equal(1f, max);
    }
}

using System.Buffers.Binary;
using RLDistributed.Core.Data;

namespace RLDistributed.Core.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte Pixel(int n, int r, int c) => (byte)((n * 31 + r * 7 + c * 3) % 256);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_RoundTrip_MatchesWrittenPixels(bool gzip)
    {
        var raw = DataFileWriter.IdxImages(5, 28, 28, Pixel);
        var path = _dir.File("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);

        var data = IdxReader.ReadImages(path, padTo32: false, "mnist");

        Assert.Equal(5, data.Count);
        Assert.Equal(new[] { 1, 28, 28 }, data.ExampleShape);
        Assert.True(data.IsImage);
        var example = new float[28 * 28];
        data.CopyExample(3, example);
        for (var r = 0; r < 28; r++)
        for (var c = 0; c < 28; c++)
            Assert.Equal(Pixel(3, r, c) / 127.5f - 1f, example[r * 28 + c], 1e-6f);
    }

    [Fact]
    public void ReadImages_GzipWithoutGzExtension_DetectedByMagic()
    {
        var path = _dir.File("images-no-extension");
        File.WriteAllBytes(path, DataFileWriter.Gzip(DataFileWriter.IdxImages(2, 4, 4, Pixel)));

        var data = IdxReader.ReadImages(path, padTo32: false);

        Assert.Equal(2, data.Count);
        Assert.Equal(Pixel(1, 2, 3), data.GetPixels(1)[2 * 4 + 3]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_PadTo32_CentresImageOnMinusOneBorder(bool gzip)
    {
        var raw = DataFileWriter.IdxImages(3, 28, 28, (_, _, _) => 255);
        var path = _dir.File("img" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);

        var data = IdxReader.ReadImages(path, padTo32: true);

        Assert.Equal(new[] { 1, 32, 32 }, data.ExampleShape);
        var example = new float[32 * 32];
        data.CopyExample(2, example);
        for (var r = 0; r < 32; r++)
        for (var c = 0; c < 32; c++)
        {
            var inside = r is >= 2 and < 30 && c is >= 2 and < 30;
            Assert.Equal(inside ? 1f : -1f, example[r * 32 + c]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_RoundTrip_MatchesWrittenLabels(bool gzip)
    {
        byte[] labels = [3, 1, 4, 1, 5, 9, 2, 6];
        var raw = DataFileWriter.IdxLabels(labels);
        var path = _dir.File("labels" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);

        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadImages_WithLabels_AttachesLabels()
    {
        var images = _dir.File("img");
        var labels = _dir.File("lab.gz");
        File.WriteAllBytes(images, DataFileWriter.IdxImages(3, 2, 2, Pixel));
        File.WriteAllBytes(labels, DataFileWriter.Gzip(DataFileWriter.IdxLabels([7, 8, 9])));

        var data = IdxReader.ReadImages(images, padTo32: false, labelsPath: labels);

        Assert.Equal(new byte[] { 7, 8, 9 }, data.Labels);
    }

    [Fact]
    public void ReadImages_LabelCountMismatch_ThrowsNamingLabelFile()
    {
        var images = _dir.File("img");
        var labels = _dir.File("lab");
        File.WriteAllBytes(images, DataFileWriter.IdxImages(3, 2, 2, Pixel));
        File.WriteAllBytes(labels, DataFileWriter.IdxLabels([7, 8]));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(images, false, labelsPath: labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("2 labels", error.Message);
    }

    [Fact]
    public void ReadImages_MissingFile_ThrowsNamingFile()
    {
        var path = _dir.File("absent-idx3-ubyte.gz");

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_WrongMagic_ThrowsNamingFileAndMagic(bool gzip)
    {
        var raw = DataFileWriter.IdxLabels([1, 2, 3]);
        var path = _dir.File("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Equal($"{path}: wrong magic 0x00000801, expected 0x00000803 (IDX images)", error.Message);
    }

    [Fact]
    public void ReadLabels_ImageFile_ThrowsWrongMagic()
    {
        var path = _dir.File("labels");
        File.WriteAllBytes(path, DataFileWriter.IdxImages(1, 2, 2, Pixel));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("wrong magic 0x00000803, expected 0x00000801", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_Truncated_ThrowsNamingDeclaredAndActualSize(bool gzip)
    {
        var raw = DataFileWriter.IdxImages(60000, 28, 28, (_, _, _) => 0)[..1000];
        var path = _dir.File("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.StartsWith($"{path}: truncated: header declares 60000 images of 28×28 (47040016 bytes) but ", error.Message);
        if (!gzip) Assert.EndsWith("the file has 1000 bytes", error.Message);
    }

    [Fact]
    public void ReadImages_HeaderShorterThan16Bytes_ThrowsTruncated()
    {
        var path = _dir.File("short");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Contains("truncated", error.Message);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void ReadImages_TrailingBytes_ThrowsInconsistent()
    {
        var path = _dir.File("long");
        File.WriteAllBytes(path, [.. DataFileWriter.IdxImages(2, 2, 2, Pixel), 1, 2, 3]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Contains("trailing data", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_HugeDeclaredCount_FailsFastWithoutAllocating(bool gzip)
    {
        // 2^31 images of 28×28 would be 1.7 TB; the reader must refuse before allocating it.
        var raw = DataFileWriter.IdxImages(1, 28, 28, Pixel);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4), 1u << 31);
        var path = _dir.File("huge" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(path, gzip ? DataFileWriter.Gzip(raw) : raw);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Contains("2147483648 images of 28×28", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "allocated more than 64 MB");
    }

    [Fact]
    public void ReadImages_HugeButArrayFittingCountInGzip_FailsFast()
    {
        // 2^20 images of 28×28 = 822 MB fits an array, but a tiny gzip cannot inflate to it.
        var raw = DataFileWriter.IdxImages(1, 28, 28, Pixel);
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4), 1u << 20);
        var path = _dir.File("big.gz");
        File.WriteAllBytes(path, DataFileWriter.Gzip(raw));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Contains("truncated", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "allocated more than 64 MB");
    }

    [Fact]
    public void ReadImages_CorruptGzip_ThrowsNamingFile()
    {
        var gz = DataFileWriter.Gzip(DataFileWriter.IdxImages(50, 28, 28, Pixel));
        for (var i = 20; i < gz.Length - 8; i++) gz[i] ^= 0x5A;
        var path = _dir.File("corrupt.gz");
        File.WriteAllBytes(path, gz);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, false));

        Assert.Equal(path, error.FilePath);
    }
}

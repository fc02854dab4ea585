using RLDistributed.Core.Data;

namespace RLDistributed.Core.Tests.Data;

public sealed class CifarReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte Pixel(int n, int channel, int i) => (byte)((n * 13 + channel * 85 + i) % 256);

    private void WriteTrainingBatches(string directory, int perFile)
    {
        Directory.CreateDirectory(directory);
        for (var f = 0; f < 5; f++)
        {
            var labels = Enumerable.Range(0, perFile).Select(i => (byte)((f + i) % 10)).ToArray();
            var offset = f * perFile;
            File.WriteAllBytes(Path.Combine(directory, CifarReader.TrainingFiles[f]),
                DataFileWriter.CifarBatch(labels, (n, ch, i) => Pixel(offset + n, ch, i)));
        }
    }

    [Fact]
    public void ReadDirectory_TrainingBatches_RoundTripsPixelsAndLabels()
    {
        WriteTrainingBatches(_dir.Path, perFile: 3);

        var data = CifarReader.ReadDirectory(_dir.Path);

        Assert.Equal(15, data.Count);
        Assert.Equal(new[] { 3, 32, 32 }, data.ExampleShape);
        Assert.Equal((byte)((4 + 1) % 10), data.Labels![13]);
        var example = new float[3072];
        data.CopyExample(13, example);
        for (var ch = 0; ch < 3; ch++)
        for (var i = 0; i < 1024; i += 37)
            Assert.Equal(Pixel(13, ch, i) / 127.5f - 1f, example[ch * 1024 + i], 1e-6f);
    }

    [Fact]
    public void ReadDirectory_ArchiveFolderInside_FindsBatches()
    {
        WriteTrainingBatches(Path.Combine(_dir.Path, CifarReader.ArchiveFolder), perFile: 1);

        Assert.Equal(5, CifarReader.ReadDirectory(_dir.Path).Count);
    }

    [Fact]
    public void ReadDirectory_TestSplit_ReadsTestBatch()
    {
        File.WriteAllBytes(_dir.File(CifarReader.TestFile), DataFileWriter.CifarBatch([9, 0], Pixel));

        var data = CifarReader.ReadDirectory(_dir.Path, train: false);

        Assert.Equal(new byte[] { 9, 0 }, data.Labels);
    }

    [Fact]
    public void ReadDirectory_MissingBatch_ThrowsNamingFile()
    {
        WriteTrainingBatches(_dir.Path, perFile: 1);
        var missing = _dir.File("data_batch_4.bin");
        File.Delete(missing);

        var error = Assert.Throws<DataFormatException>(() => CifarReader.ReadDirectory(_dir.Path));

        Assert.Equal(missing, error.FilePath);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void ReadDirectory_MissingDirectory_ThrowsNamingDirectory()
    {
        var dir = _dir.File("nope");

        var error = Assert.Throws<DataFormatException>(() => CifarReader.ReadDirectory(dir));

        Assert.Equal(dir, error.FilePath);
    }

    [Fact]
    public void ReadFiles_LengthNotMultipleOfRecord_ThrowsNamingFileAndLength()
    {
        var path = _dir.File("data_batch_1.bin");
        File.WriteAllBytes(path, DataFileWriter.CifarBatch([1, 2], Pixel)[..5000]);

        var error = Assert.Throws<DataFormatException>(() => CifarReader.ReadFiles([path]));

        Assert.Equal($"{path}: length 5000 bytes is not a positive multiple of the 3073-byte CIFAR-10 record", error.Message);
    }

    [Fact]
    public void ReadFiles_LabelOutOfRange_ThrowsNamingFileAndRecord()
    {
        var path = _dir.File("test_batch.bin");
        File.WriteAllBytes(path, DataFileWriter.CifarBatch([1, 2, 10], Pixel));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.ReadFiles([path]));

        Assert.Equal($"{path}: record 2: label 10 is not in 0–9", error.Message);
    }
}

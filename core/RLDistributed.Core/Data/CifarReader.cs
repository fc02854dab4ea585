namespace RLDistributed.Core.Data;

/// <summary>
/// Reads the CIFAR-10 binary version: records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32).
/// </summary>
public static class CifarReader
{
    /// <summary>Bytes per image: 3 planes of 32×32. 3072.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Bytes per record: label + image. 3073.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>Number of classes; labels are 0–9.</summary>
    public const int ClassCount = 10;

    /// <summary>Folder that cifar-10-binary.tar.gz extracts to.</summary>
    public const string ArchiveFolder = "cifar-10-batches-bin";

    /// <summary>The five training batch files.</summary>
    public static IReadOnlyList<string> TrainingFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test batch file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>
    /// Reads the training (50,000) or test (10,000) split from <paramref name="directory"/>, which holds the
    /// batch files or a <see cref="ArchiveFolder"/> folder with them.
    /// </summary>
    /// <exception cref="DataFormatException">Missing directory or file, bad length or bad label.</exception>
    public static ImageDataset ReadDirectory(string directory, bool train = true)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DataFormatException(directory, "directory not found");
        var nested = Path.Combine(directory, ArchiveFolder);
        var first = train ? TrainingFiles[0] : TestFile;
        if (!File.Exists(Path.Combine(directory, first)) && Directory.Exists(nested)) directory = nested;
        var names = train ? TrainingFiles : [TestFile];
        return ReadFiles(names.Select(n => Path.Combine(directory, n)).ToArray());
    }

    /// <summary>Reads and concatenates the given batch files, in order.</summary>
    /// <exception cref="DataFormatException">Missing file, bad length or bad label.</exception>
    public static ImageDataset ReadFiles(IReadOnlyList<string> files, string name = "cifar10")
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new ArgumentException("no CIFAR-10 files given", nameof(files));

        // All lengths are checked before the one allocation.
        long records = 0;
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw DataFormatException.NotFound(file);
            var length = new FileInfo(file).Length;
            if (length == 0 || length % RecordBytes != 0)
                throw new DataFormatException(file, $"length {length} bytes is not a positive multiple of the {RecordBytes}-byte CIFAR-10 record");
            records += length / RecordBytes;
        }
        if (records * ImageBytes > Array.MaxLength)
            throw new DataFormatException(files[0], $"{records} records are more than this reader can hold");

        var pixels = new byte[records * ImageBytes];
        var labels = new byte[records];
        var index = 0;
        var record = new byte[RecordBytes];
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            for (var r = 0; stream.ReadAtLeast(record, RecordBytes, throwOnEndOfStream: false) == RecordBytes; r++, index++)
            {
                if (record[0] >= ClassCount)
                    throw new DataFormatException(file, $"record {r}: label {record[0]} is not in 0–{ClassCount - 1}");
                labels[index] = record[0];
                record.AsSpan(1).CopyTo(pixels.AsSpan(index * ImageBytes, ImageBytes));
            }
        }
        return new ImageDataset(name, pixels, 3, 32, 32, labels);
    }
}

using System.Buffers.Binary;

namespace RLDistributed.Core.Data;

/// <summary>
/// Reads IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed: big-endian magic, then big-endian dimensions,
/// then uint8 data. Sizes are checked against the file before anything large is allocated.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic of an IDX uint8 3-D array (images). 0x00000803.</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic of an IDX uint8 1-D array (labels). 0x00000801.</summary>
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Side of the padded image: MNIST 28×28 → 32×32 so that U-Nets can halve it down to 4×4.</summary>
    public const int PaddedSide = 32;

    // Rows and columns beyond this are not images but a corrupt header; it also keeps N·H·W inside UInt128.
    private const uint MaxSide = 1 << 16;

    /// <summary>
    /// Reads an IDX image file as a 1-channel <see cref="ImageDataset"/>. With <paramref name="padTo32"/>, images
    /// are centred in 32×32 with byte 0 (background −1 after scaling). <paramref name="labelsPath"/> is optional.
    /// </summary>
    /// <exception cref="DataFormatException">Missing, truncated, wrong-magic or inconsistent file.</exception>
    public static ImageDataset ReadImages(string path, bool padTo32, string name = "idx", string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = DataFile.Open(path);
        Span<byte> header = stackalloc byte[16];
        ReadHeader(file, header, ImagesMagic, "IDX images");
        var count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var rows = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        var cols = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
        if (rows is 0 or > MaxSide || cols is 0 or > MaxSide)
            throw new DataFormatException(path, $"implausible image size {rows}×{cols}");
        // Padding makes each image 32×32: that size is checked too, before a byte of the payload is read.
        if (padTo32 && (UInt128)count * PaddedSide * PaddedSide > (UInt128)Array.MaxLength)
            throw new DataFormatException(path, $"header declares {count} images; padded to {PaddedSide}×{PaddedSide} they are more than this reader can hold ({Array.MaxLength} bytes)");
        var pixels = file.ReadPayload((UInt128)count * rows * cols, $"{count} images of {rows}×{cols}");

        byte[]? labels = null;
        if (labelsPath is not null)
        {
            labels = ReadLabels(labelsPath);
            if (labels.Length != count)
                throw new DataFormatException(labelsPath, $"{labels.Length} labels but {path} has {count} images");
        }

        var (height, width) = ((int)rows, (int)cols);
        if (padTo32 && (height != PaddedSide || width != PaddedSide))
        {
            if (height > PaddedSide || width > PaddedSide)
                throw new DataFormatException(path, $"cannot pad {height}×{width} images to {PaddedSide}×{PaddedSide}");
            pixels = Pad(pixels, (int)count, height, width);
            (height, width) = (PaddedSide, PaddedSide);
        }
        return new ImageDataset(name, pixels, 1, height, width, labels);
    }

    /// <summary>Reads an IDX label file (one uint8 per example).</summary>
    /// <exception cref="DataFormatException">Missing, truncated, wrong-magic or inconsistent file.</exception>
    public static byte[] ReadLabels(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = DataFile.Open(path);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(file, header, LabelsMagic, "IDX labels");
        var count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return file.ReadPayload(count, $"{count} labels");
    }

    /// <summary>
    /// Finds <paramref name="baseName"/> (e.g. "train-images-idx3-ubyte") in <paramref name="directory"/>,
    /// preferring the ".gz" file; null when neither exists.
    /// </summary>
    public static string? Find(string directory, string baseName)
    {
        foreach (var candidate in new[] { baseName + ".gz", baseName })
        {
            var path = System.IO.Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static void ReadHeader(DataFile file, Span<byte> header, uint expectedMagic, string kind)
    {
        var read = file.ReadUpTo(header);
        // The magic is judged first: a short labels file given as images is a wrong file, not a truncated one.
        if (read >= 4)
        {
            var magic = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (magic != expectedMagic)
                throw new DataFormatException(file.Path, $"wrong magic 0x{magic:X8}, expected 0x{expectedMagic:X8} ({kind})");
        }
        if (read < header.Length)
            throw new DataFormatException(file.Path, $"truncated: {read} bytes, shorter than the {header.Length}-byte {kind} header");
    }

    private static byte[] Pad(byte[] pixels, int count, int height, int width)
    {
        const int side = PaddedSide;
        var top = (side - height) / 2;
        var left = (side - width) / 2;
        var padded = new byte[(long)count * side * side]; // zero = background
        for (var n = 0; n < count; n++)
        for (var r = 0; r < height; r++)
        {
            pixels.AsSpan((n * height + r) * width, width)
                .CopyTo(padded.AsSpan(n * side * side + (top + r) * side + left, width));
        }
        return padded;
    }
}

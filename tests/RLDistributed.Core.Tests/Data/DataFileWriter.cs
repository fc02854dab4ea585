using System.Buffers.Binary;
using System.IO.Compression;

namespace RLDistributed.Core.Tests.Data;

/// <summary>Writes small IDX and CIFAR-10 files in their on-disk formats.</summary>
public static class DataFileWriter
{
    public static byte[] IdxImages(int count, int rows, int cols, Func<int, int, int, byte> pixel, uint magic = 0x00000803)
    {
        var bytes = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)count);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)rows);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), (uint)cols);
        for (var n = 0; n < count; n++)
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
            bytes[16 + (n * rows + r) * cols + c] = pixel(n, r, c);
        return bytes;
    }

    public static byte[] IdxLabels(byte[] labels, uint magic = 0x00000801)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    /// <summary>CIFAR-10 records; pixel (n, channel, offset-in-plane).</summary>
    public static byte[] CifarBatch(byte[] labels, Func<int, int, int, byte> pixel)
    {
        var bytes = new byte[labels.Length * 3073];
        for (var n = 0; n < labels.Length; n++)
        {
            bytes[n * 3073] = labels[n];
            for (var ch = 0; ch < 3; ch++)
            for (var i = 0; i < 1024; i++)
                bytes[n * 3073 + 1 + ch * 1024 + i] = pixel(n, ch, i);
        }
        return bytes;
    }
}

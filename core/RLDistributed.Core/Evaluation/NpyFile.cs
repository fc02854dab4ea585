using System.Text;

namespace RLDistributed.Core.Evaluation;

/// <summary>
/// Writes NumPy's .npy format (version 1.0): the magic, a little-endian header length, a Python-literal header
/// padded with spaces to a multiple of 64 bytes, then the C-order data. Readable by numpy.load and every tool built on it.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>Writes float32 values of the given shape ('&lt;f4').</summary>
    public static void Write(string path, ReadOnlySpan<float> values, IReadOnlyList<long> shape) =>
        Write(path, "<f4", System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), shape, values.Length);

    /// <summary>Writes bytes of the given shape ('|u1').</summary>
    public static void Write(string path, ReadOnlySpan<byte> values, IReadOnlyList<long> shape) =>
        Write(path, "|u1", values, shape, values.Length);

    /// <summary>The header text for a dtype and shape, padded so that the data starts at a multiple of 64 bytes.</summary>
    public static string Header(string descriptor, IReadOnlyList<long> shape)
    {
        var dimensions = shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descriptor}', 'fortran_order': False, 'shape': {dimensions}, }}";
        var unpadded = Magic.Length + 2 + header.Length + 1;
        return header + new string(' ', (64 - unpadded % 64) % 64) + "\n";
    }

    private static void Write(string path, string descriptor, ReadOnlySpan<byte> data, IReadOnlyList<long> shape, long count)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the writer assumes a little-endian machine");
        if (shape.Aggregate(1L, (a, b) => a * b) != count)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} values", nameof(shape));
        var header = Encoding.ASCII.GetBytes(Header(descriptor, shape));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(Magic);
            file.Write(BitConverter.GetBytes((ushort)header.Length));
            file.Write(header);
            file.Write(data);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

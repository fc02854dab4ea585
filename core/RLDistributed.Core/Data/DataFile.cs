using System.IO.Compression;

namespace RLDistributed.Core.Data;

/// <summary>Opens a data file that may be gzip-compressed and reads it with its sizes checked first.</summary>
internal sealed class DataFile : IDisposable
{
    // Deflate cannot expand data by more than about 1032:1, so a gzip file that declares more is truncated
    // or lying; checking this first keeps a 2^31-image header from costing a huge allocation.
    private const long MaxDeflateRatio = 1032;

    private readonly FileStream _file;
    private readonly Stream _stream;
    private long _position;

    private DataFile(string path, FileStream file, Stream stream, bool isGzip)
    {
        Path = path;
        _file = file;
        _stream = stream;
        IsGzip = isGzip;
    }

    public string Path { get; }

    public bool IsGzip { get; }

    /// <summary>Bytes on disk (compressed size for gzip).</summary>
    public long DiskLength => _file.Length;

    /// <summary>Opens <paramref name="path"/>; gzip is detected by the magic bytes 1F 8B, not by the extension.</summary>
    public static DataFile Open(string path)
    {
        if (!File.Exists(path)) throw DataFormatException.NotFound(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        var gzip = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        return new DataFile(path, file, stream, gzip);
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; returns how many were there.</summary>
    public int ReadUpTo(Span<byte> buffer)
    {
        try
        {
            var read = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            _position += read;
            return read;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(Path, $"corrupt gzip data after {_position} bytes: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the rest of the file, which must be exactly <paramref name="payload"/> bytes.
    /// <paramref name="declared"/> describes the header for messages, e.g. "60000 images of 28×28".
    /// </summary>
    public byte[] ReadPayload(UInt128 payload, string declared)
    {
        var expectedTotal = payload + (UInt128)_position;
        var what = $"header declares {declared} ({expectedTotal} bytes)";
        if (payload > (UInt128)Array.MaxLength)
            throw new DataFormatException(Path, $"{what}, more than this reader can hold ({Array.MaxLength} bytes)");

        var size = (long)payload;
        if (!IsGzip)
        {
            if (DiskLength != (long)expectedTotal)
                throw new DataFormatException(Path, DiskLength < (long)expectedTotal
                    ? $"truncated: {what} but the file has {DiskLength} bytes"
                    : $"{what} but the file has {DiskLength} bytes (trailing data)");
            var exact = new byte[size];
            ReadUpTo(exact);
            return exact;
        }

        if ((long)expectedTotal > DiskLength * MaxDeflateRatio)
            throw new DataFormatException(Path, $"truncated: {what} but the gzip file has only {DiskLength} bytes");

        // Grow with the data actually present rather than trusting the header with one allocation.
        var buffer = new MemoryStream((int)Math.Min(size, 1 << 20));
        var chunk = new byte[1 << 16];
        while (buffer.Length <= size)
        {
            var read = ReadUpTo(chunk);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        var total = buffer.Length + (long)(expectedTotal - payload);
        if (buffer.Length != size)
            throw new DataFormatException(Path, buffer.Length < size
                ? $"truncated: {what} but the file has {total} bytes (decompressed)"
                : $"{what} but the file has more (trailing data after decompression)");
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _file)) _stream.Dispose();
        _file.Dispose();
    }
}

using System.Text;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// The project's tensor file: "RLDT", a version, the number of tensors, then for each one its name, element
/// type, shape and little-endian data. Readers check every declared size against the bytes that remain before
/// allocating anything, so a truncated or hostile file is refused with its name and never allocates more than
/// the file holds. No type information from the file selects code: only the two element types above exist.
/// </summary>
public static class TensorFile
{
    private static ReadOnlySpan<byte> Magic => "RLDT"u8;
    private const uint Version = 1;
    private const int MaxNameBytes = 1024;
    private const int MaxRank = 8;
    private const int MaxTensors = 1_000_000;

    /// <summary>Writes <paramref name="records"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<TensorRecord> records)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(records.Count);
        foreach (var record in records)
        {
            var name = Encoding.UTF8.GetBytes(record.Name);
            if (name.Length > MaxNameBytes) throw new ArgumentException($"tensor name longer than {MaxNameBytes} bytes: {record.Name}");
            if (record.Data.LongLength != record.ElementCount * ElementSize(record.Element))
                throw new ArgumentException($"tensor {record.Name}: {record.Data.LongLength} bytes for shape [{string.Join(", ", record.Shape)}]");
            writer.Write((ushort)name.Length);
            writer.Write(name);
            writer.Write((byte)record.Element);
            writer.Write((byte)record.Shape.Length);
            foreach (var dimension in record.Shape) writer.Write(dimension);
            writer.Write(record.Data);
        }
    }

    /// <summary>Reads a tensor file; <paramref name="path"/> names the file in errors.</summary>
    /// <exception cref="CheckpointException">the file is truncated, malformed or of another format.</exception>
    public static IReadOnlyList<TensorRecord> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a tensor file from <paramref name="stream"/> (which must know its length).</summary>
    public static IReadOnlyList<TensorRecord> Read(Stream stream, string path)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            reader.BaseStream.ReadExactly(magic);
            if (!magic.SequenceEqual(Magic)) throw new CheckpointException(path, "not a tensor file (bad magic)");
            var version = reader.ReadUInt32();
            if (version != Version) throw new CheckpointException(path, $"tensor file version {version}; this build reads {Version}");
            var count = reader.ReadInt32();
            if (count is < 0 or > MaxTensors) throw new CheckpointException(path, $"declares {count} tensors");
            var records = new List<TensorRecord>(Math.Min(count, 4096));
            for (var i = 0; i < count; i++) records.Add(ReadRecord(reader, path));
            if (stream.Position != stream.Length) throw new CheckpointException(path, $"{stream.Length - stream.Position} bytes after the last tensor");
            return records;
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointException(path, "truncated");
        }
        catch (OverflowException)
        {
            // A shape whose element or byte count overflows 64 bits is hostile or corrupt, never a real tensor.
            throw new CheckpointException(path, "declares a tensor whose size overflows 64 bits");
        }
    }

    private static TensorRecord ReadRecord(BinaryReader reader, string path)
    {
        var nameLength = reader.ReadUInt16();
        if (nameLength > MaxNameBytes) throw new CheckpointException(path, $"tensor name of {nameLength} bytes");
        var name = Encoding.UTF8.GetString(ReadBytes(reader, nameLength, path));
        var element = (TensorElement)reader.ReadByte();
        if (!Enum.IsDefined(element)) throw new CheckpointException(path, $"tensor {name}: unknown element type {(byte)element}");
        var rank = reader.ReadByte();
        if (rank > MaxRank) throw new CheckpointException(path, $"tensor {name}: rank {rank}");
        var shape = new long[rank];
        var elements = 1L;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = reader.ReadInt64();
            if (shape[d] < 0) throw new CheckpointException(path, $"tensor {name}: negative dimension {shape[d]}");
            elements = checked(elements * shape[d]);
        }
        var bytes = checked(elements * ElementSize(element));
        var remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (bytes > remaining) throw new CheckpointException(path, $"tensor {name} declares {bytes} bytes but only {remaining} remain (truncated or corrupt)");
        return new TensorRecord(name, element, shape, ReadBytes(reader, bytes, path));
    }

    private static byte[] ReadBytes(BinaryReader reader, long count, string path)
    {
        if (count > Array.MaxLength) throw new CheckpointException(path, $"a tensor of {count} bytes is larger than this reader supports");
        var data = new byte[count];
        reader.BaseStream.ReadExactly(data);
        return data;
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(TensorElement element) => element switch
    {
        TensorElement.Float32 => 4,
        TensorElement.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(element), element, "unknown element type"),
    };
}

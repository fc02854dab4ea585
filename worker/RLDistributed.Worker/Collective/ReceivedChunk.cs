using System.Buffers;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// A <c>Chunk</c> as the grpc transport's server receives it: the header fields, and the data in a buffer rented
/// from <see cref="ArrayPool{T}.Shared"/> rather than a fresh array per message (a 1 MiB chunk would otherwise be a
/// new large-object-heap array, and a 64 MiB all-reduce several gen2 collections). Dispose returns the buffer;
/// the data must not be read after that.
/// </summary>
public sealed class ReceivedChunk : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    /// <summary>Takes ownership of <paramref name="buffer"/> (rented from the shared pool, or empty), whose first <paramref name="length"/> bytes are the data.</summary>
    internal ReceivedChunk(string runId, long generation, int sourceRank, long sequence, int ringStep, long offset, byte[] buffer, int length)
    {
        RunId = runId;
        Generation = generation;
        SourceRank = sourceRank;
        Sequence = sequence;
        RingStep = ringStep;
        Offset = offset;
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The run the chunk belongs to.</summary>
    public string RunId { get; }

    /// <summary>The generation of the ring that sent it.</summary>
    public long Generation { get; }

    /// <summary>The sending rank.</summary>
    public int SourceRank { get; }

    /// <summary>Which collective operation of the generation.</summary>
    public long Sequence { get; }

    /// <summary>Ring step 0 .. 2(N−1)−1.</summary>
    public int RingStep { get; }

    /// <summary>Offset in floats within the flat buffer being reduced.</summary>
    public long Offset { get; }

    /// <summary>The data's length in bytes.</summary>
    public int DataLength => _length;

    /// <summary>The little-endian float32 values, as bytes.</summary>
    public ReadOnlySpan<byte> Data => (_buffer ?? throw new ObjectDisposedException(nameof(ReceivedChunk))).AsSpan(0, _length);

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is { Length: > 0 }) ArrayPool<byte>.Shared.Return(buffer);
    }
}

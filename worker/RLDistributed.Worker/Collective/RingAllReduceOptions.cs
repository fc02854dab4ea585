using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Worker.Collective;

/// <summary>Options of the ring all-reduce and its transports.</summary>
public sealed class RingAllReduceOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Rld:Collective";

    /// <summary>Floats per chunk on the wire. Defaults to 262,144 (1 MiB); valid 16,384 (64 KiB) .. 1,048,576 (4 MiB).</summary>
    [Range(RingAllReduceConstants.MinChunkFloats, RingAllReduceConstants.MaxChunkFloats)]
    public int ChunkFloats { get; init; } = RingAllReduceConstants.DefaultChunkFloats;

    /// <summary>Bytes per gradient bucket. Defaults to 26,214,400 (25 MiB); valid 4 KiB .. 1 GiB.</summary>
    [Range(RingAllReduceConstants.MinBucketBytes, RingAllReduceConstants.MaxBucketBytes)]
    public long BucketBytes { get; init; } = RingAllReduceConstants.DefaultBucketBytes;

    /// <summary>How long to keep retrying the connection to the right neighbour and waiting for the left. Defaults to 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = RingAllReduceConstants.DefaultConnectTimeout;

    /// <summary>Which transport carries the chunks. Defaults to <see cref="RingTransportKind.Tcp"/>.</summary>
    public RingTransportKind Transport { get; init; } = RingTransportKind.Tcp;

    /// <summary>Throws <see cref="ValidationException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (ChunkFloats is < RingAllReduceConstants.MinChunkFloats or > RingAllReduceConstants.MaxChunkFloats)
        {
            throw new ValidationException(
                $"{nameof(ChunkFloats)} ({ChunkFloats}) must lie in {RingAllReduceConstants.MinChunkFloats} .. {RingAllReduceConstants.MaxChunkFloats}.");
        }

        if (BucketBytes is < RingAllReduceConstants.MinBucketBytes or > RingAllReduceConstants.MaxBucketBytes)
        {
            throw new ValidationException(
                $"{nameof(BucketBytes)} ({BucketBytes}) must lie in {RingAllReduceConstants.MinBucketBytes} .. {RingAllReduceConstants.MaxBucketBytes}.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ValidationException($"{nameof(ConnectTimeout)} ({ConnectTimeout}) must be positive.");
        }

        if (!Enum.IsDefined(Transport))
        {
            throw new ValidationException($"{nameof(Transport)} ({Transport}) is not a known transport.");
        }
    }
}

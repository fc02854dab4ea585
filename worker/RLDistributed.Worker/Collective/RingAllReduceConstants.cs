namespace RLDistributed.Worker.Collective;

/// <summary>Defaults and bounds of <see cref="RingAllReduceOptions"/>.</summary>
public static class RingAllReduceConstants
{
    /// <summary>256 Ki floats = 1 MiB: chunks of 256 KiB–1 MiB were fastest on both transports (perf-notes.md).</summary>
    public const int DefaultChunkFloats = 256 * 1024;

    /// <summary>16 Ki floats = 64 KiB; smaller chunks are dominated by per-frame cost.</summary>
    public const int MinChunkFloats = 16 * 1024;

    /// <summary>1 Mi floats = 4 MiB; also the bound a receiver puts on any frame.</summary>
    public const int MaxChunkFloats = 1024 * 1024;

    /// <summary>About 25 MiB per gradient bucket, as PyTorch DDP.</summary>
    public const long DefaultBucketBytes = 25L * 1024 * 1024;

    /// <summary>The smallest bucket allowed: 4 KiB.</summary>
    public const long MinBucketBytes = 4 * 1024;

    /// <summary>The largest bucket allowed: 1 GiB.</summary>
    public const long MaxBucketBytes = 1024L * 1024 * 1024;

    /// <summary>How long a rank waits for its neighbours to connect: 30 s (they may start later).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);
}

using System.Buffers;
using System.Collections.Concurrent;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// A Kestrel memory pool of 64 KiB pinned blocks. Kestrel's default 4 KiB blocks cap every socket read at 4 KiB;
/// 64 KiB blocks gave about 1.5× on gRPC bulk transfer (perf-notes.md).
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>64 KiB per block.</summary>
    public const int BlockSize = 64 * 1024;

    private readonly ConcurrentQueue<byte[]> _free = new();

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);

        // Pinned (POH) blocks: sockets pin every buffer they read into; pinned once, they never fragment the heap.
        var block = _free.TryDequeue(out var reused) ? reused : GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        return new Lease(this, block);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Lease(LargeBlockMemoryPool pool, byte[] block) : IMemoryOwner<byte>
    {
        private byte[]? _block = block;

        public Memory<byte> Memory => _block ?? throw new ObjectDisposedException(nameof(Lease));

        public void Dispose()
        {
            var returned = Interlocked.Exchange(ref _block, null);
            if (returned is not null)
            {
                pool._free.Enqueue(returned);
            }
        }
    }
}

using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace RLDistributed.Worker.Collective;

/// <summary>Hands Kestrel a <see cref="LargeBlockMemoryPool"/> for each transport that asks.</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    /// <inheritdoc />
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}

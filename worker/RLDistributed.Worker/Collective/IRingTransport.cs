namespace RLDistributed.Worker.Collective;

/// <summary>
/// The link of one rank to its ring neighbours: sends go to rank+1, receives come from rank−1 (mod N).
/// One send and one receive may be in flight at the same time; two sends (or two receives) may not.
/// </summary>
public interface IRingTransport : IAsyncDisposable
{
    /// <summary>Sends one chunk to the right neighbour.</summary>
    /// <param name="header">The chunk's header; its length must equal <paramref name="data"/>'s.</param>
    /// <param name="data">The floats; the caller may reuse the memory once the task completes.</param>
    /// <param name="ct">Cancels the send.</param>
    ValueTask SendAsync(ChunkHeader header, ReadOnlyMemory<float> data, CancellationToken ct);

    /// <summary>Receives the next chunk from the left neighbour into <paramref name="destination"/>.</summary>
    /// <param name="expected">The header the chunk must carry; its length must equal <paramref name="destination"/>'s.</param>
    /// <param name="destination">Where the floats go.</param>
    /// <param name="ct">Cancels the receive.</param>
    /// <exception cref="CollectiveProtocolException">The chunk differs from <paramref name="expected"/>.</exception>
    ValueTask ReceiveAsync(ChunkHeader expected, Memory<float> destination, CancellationToken ct);
}

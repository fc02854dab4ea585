using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The in-memory inbox of the grpc transport on one worker: <see cref="CollectiveService"/> puts the chunks the
/// left neighbour pushes into a bounded channel per generation, and <see cref="GrpcRingTransport"/> takes them out
/// in order. Register one instance as a singleton so the service and the transport share it.
/// </summary>
public sealed class CollectiveMailbox
{
    private readonly ConcurrentDictionary<long, Generation> _generations = new();
    private readonly int _capacity;

    /// <summary>Creates an empty mailbox.</summary>
    /// <param name="capacity">
    /// Chunks buffered per generation before the pushing stream waits. Defaults to 8: enough to keep the receiver
    /// busy, and the wait is HTTP/2 flow control back to the sender rather than unbounded memory.
    /// </param>
    public CollectiveMailbox(int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>
    /// Opens (idempotently) the inbox of <paramref name="identity"/>'s generation. Call it when the ring forms, before
    /// this worker's address reaches its left neighbour: a chunk for a generation not open is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The generation is open for another run or rank.</exception>
    public void Open(RingIdentity identity)
    {
        identity.Validate();
        var opened = _generations.GetOrAdd(
            identity.Generation,
            _ => new Generation(identity, Channel.CreateBounded<ReceivedChunk>(new BoundedChannelOptions(_capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })));
        if (opened.Identity != identity)
        {
            throw new InvalidOperationException(
                $"Generation {identity.Generation} is already open as {opened.Identity}, not {identity}.");
        }
    }

    /// <summary>Closes the inbox of a finished generation; later chunks for it are refused, and the ones never read give their buffers back.</summary>
    public void Close(long generation)
    {
        if (_generations.TryRemove(generation, out var closed))
        {
            closed.Channel.Writer.TryComplete();
            while (closed.Channel.Reader.TryRead(out var unread)) unread.Dispose();
        }
    }

    /// <summary>The reader of an open generation.</summary>
    internal ChannelReader<ReceivedChunk> ReaderFor(RingIdentity identity)
    {
        Open(identity);
        return _generations[identity.Generation].Channel.Reader;
    }

    /// <summary>
    /// The writer for <paramref name="chunk"/>'s generation after checking run id and sender.
    /// </summary>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.FailedPrecondition"/> when the generation is not open here;
    /// <see cref="StatusCode.InvalidArgument"/> when run id or source rank do not fit the ring.
    /// </exception>
    internal ChannelWriter<ReceivedChunk> WriterFor(ReceivedChunk chunk)
    {
        if (!_generations.TryGetValue(chunk.Generation, out var generation))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"Generation {chunk.Generation} is not open on this worker (open: {string.Join(", ", _generations.Keys)})."));
        }

        var identity = generation.Identity;
        if (chunk.RunId != identity.RunId)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"Run id '{chunk.RunId}' is not this worker's run '{identity.RunId}'."));
        }

        if (chunk.SourceRank != identity.LeftRank)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"Source rank {chunk.SourceRank} is not rank {identity.Rank}'s left neighbour {identity.LeftRank}."));
        }

        if (chunk.Sequence < 0 || chunk.RingStep < 0 || chunk.RingStep >= 2 * (identity.WorldSize - 1) || chunk.Offset < 0
            || chunk.DataLength % sizeof(float) != 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"Chunk sequence {chunk.Sequence}, ring step {chunk.RingStep}, offset {chunk.Offset} or data of {chunk.DataLength} bytes does not fit a ring of {identity.WorldSize}."));
        }

        return generation.Channel.Writer;
    }

    private sealed record Generation(RingIdentity Identity, Channel<ReceivedChunk> Channel);
}

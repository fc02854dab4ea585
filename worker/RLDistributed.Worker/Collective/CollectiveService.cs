using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The worker's <c>rld.v1.Collective</c> service: the server side of the grpc ring transport. The left neighbour's
/// <c>PushChunks</c> stream is checked chunk by chunk and delivered, in order, into the <see cref="CollectiveMailbox"/>.
/// Bound by <see cref="CollectiveMethodProvider"/> (not the generated base class), so that chunks arrive in pooled buffers.
/// </summary>
public sealed class CollectiveService(CollectiveMailbox mailbox, PublishedState state, ILogger<CollectiveService> logger)
{
    /// <summary>Receives the left neighbour's chunks into this worker's mailbox.</summary>
    public async Task<PushAck> PushChunks(IAsyncStreamReader<ReceivedChunk> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await ReceiveChunksAsync(requestStream, context).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            // Bytes that are not a Chunk: a clear InvalidArgument rather than the framework's Unknown.
            CollectiveLog.ChunkRefused(logger, "", -1, -1, $"malformed message: {e.Message}");
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"not a Chunk message: {e.Message}"));
        }
    }

    private async Task<PushAck> ReceiveChunksAsync(IAsyncStreamReader<ReceivedChunk> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        ChannelWriter<ReceivedChunk>? delivering = null;
        try
        {
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                var chunk = requestStream.Current;
                try
                {
                    var writer = mailbox.WriterFor(chunk);
                    await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
                    delivering = writer;
                }
                catch (RpcException e)
                {
                    chunk.Dispose();
                    CollectiveLog.ChunkRefused(logger, chunk.RunId, chunk.Generation, chunk.SourceRank, e.Status.Detail);
                    throw;
                }
                catch
                {
                    // Not delivered: its buffer goes back to the pool here, as the receiver would have returned it.
                    chunk.Dispose();
                    throw;
                }
            }
        }
        catch (Exception e) when (delivering is not null && e is not RpcException { StatusCode: StatusCode.InvalidArgument or StatusCode.FailedPrecondition })
        {
            // The left neighbour's stream broke mid-ring: no more chunks will come for this generation, so the
            // receiver must fail now rather than wait for its caller's timeout.
            CollectiveLog.PushStreamBroken(logger, e.Message);
            delivering.TryComplete(new IOException($"The left neighbour's push stream ended abnormally: {e.Message}", e));
            throw;
        }

        // A push that delivered nothing was not accepted: the sender must not take it for a success.
        return delivering is not null
            ? new PushAck()
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "the push stream carried no chunk"));
    }

    /// <summary>Bytes per state chunk: well under gRPC's default 4 MB message limit.</summary>
    public const int StateChunkBytes = 1 << 20;

    /// <summary>Streams the generation's published state to a late joiner.</summary>
    public async Task FetchState(StateRequest request, IServerStreamWriter<StateChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Generation < 0 || request.Rank < 0 || request.Step < 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"generation {request.Generation}, rank {request.Rank} and step {request.Step} must not be negative"));
        var blob = state.For(request.RunId, request.Generation, request.Step);
        for (var offset = 0; offset < blob.Length || offset == 0; offset += StateChunkBytes)
        {
            var length = Math.Min(StateChunkBytes, blob.Length - offset);
            await responseStream.WriteAsync(new StateChunk
            {
                RunId = request.RunId, Generation = request.Generation, Name = "snapshot", Offset = offset, TotalBytes = blob.Length,
                Data = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(blob.AsMemory(offset, length)),
            }, context.CancellationToken).ConfigureAwait(false);
            if (blob.Length == 0) break;
        }
    }
}

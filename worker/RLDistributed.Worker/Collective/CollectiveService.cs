using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The worker's <c>rld.v1.Collective</c> service: the server side of the grpc ring transport. The left neighbour's
/// <c>PushChunks</c> stream is checked chunk by chunk and delivered, in order, into the <see cref="CollectiveMailbox"/>.
/// </summary>
public sealed class CollectiveService(CollectiveMailbox mailbox, ILogger<CollectiveService> logger) : Protos.V1.Collective.CollectiveBase
{
    /// <inheritdoc />
    public override async Task<PushAck> PushChunks(IAsyncStreamReader<Chunk> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        while (await requestStream.MoveNext(ct).ConfigureAwait(false))
        {
            var chunk = requestStream.Current;
            try
            {
                var writer = mailbox.WriterFor(chunk);
                await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                CollectiveLog.ChunkRefused(logger, chunk.RunId, chunk.Generation, chunk.SourceRank, e.Status.Detail);
                throw;
            }
        }

        return new PushAck();
    }

    /// <inheritdoc />
    public override Task FetchState(StateRequest request, IServerStreamWriter<StateChunk> responseStream, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "FetchState is not implemented yet."));
}

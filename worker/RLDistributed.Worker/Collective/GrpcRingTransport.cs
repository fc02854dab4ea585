using System.Runtime.InteropServices;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The grpc ring transport: sends over one long-lived <c>PushChunks</c> call to the right neighbour's
/// <see cref="CollectiveService"/>, receives from this worker's own <see cref="CollectiveMailbox"/>.
/// Chunks arrive in pooled buffers (<see cref="ChunkWireFormat"/>). A fraction of the tcp transport's busbw (bench/RESULTS.md):
/// for networks where only HTTP/2 passes.
/// </summary>
public sealed class GrpcRingTransport : IRingTransport
{
    /// <summary>HTTP/2 stream window: 8 MiB, so several 1 MiB chunks are in flight before the sender waits.</summary>
    private const int StreamWindowBytes = 8 * 1024 * 1024;

    private readonly GrpcChannel _channel;
    private readonly Protos.V1.Collective.CollectiveClient _client;
    private readonly ChannelReader<ReceivedChunk> _inbox;
    private readonly RingIdentity _identity;
    private AsyncClientStreamingCall<Chunk, PushAck>? _call;

    /// <summary>Creates the transport; the push call opens on the first send.</summary>
    /// <param name="rightNeighbour">The address of rank (rank+1) mod N's gRPC server, e.g. <c>http://10.0.0.2:5001</c>.</param>
    /// <param name="mailbox">This worker's mailbox, the one its <see cref="CollectiveService"/> writes into; opened here for the generation.</param>
    /// <param name="identity">Run, generation, rank and world size.</param>
    /// <param name="options">Chunk size (sets the message size limits).</param>
    /// <param name="security">The run token and TLS the right neighbour expects (null: none).</param>
    public GrpcRingTransport(Uri rightNeighbour, CollectiveMailbox mailbox, RingIdentity identity, RingAllReduceOptions options, RunSecurity? security = null)
    {
        ArgumentNullException.ThrowIfNull(rightNeighbour);
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(options);
        identity.Validate();
        options.Validate();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The grpc ring transport sends floats in host order and needs a little-endian host.");
        }

        _identity = identity;
        _inbox = mailbox.ReaderFor(identity);
        var maxMessage = MaxMessageBytes(options.ChunkFloats);
        _channel = GrpcChannel.ForAddress(rightNeighbour, new GrpcChannelOptions
        {
            HttpHandler = (security ?? RunSecurity.None).CreateHandler(new SocketsHttpHandler
            {
                InitialHttp2StreamWindowSize = StreamWindowBytes,
                EnableMultipleHttp2Connections = false,
                ConnectTimeout = options.ConnectTimeout,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            }),
            MaxSendMessageSize = maxMessage,
            MaxReceiveMessageSize = maxMessage,
        });
        _client = new Protos.V1.Collective.CollectiveClient(_channel);
    }

    /// <summary>The message size limit for a chunk of <paramref name="chunkFloats"/> floats, with room for the header fields.</summary>
    public static int MaxMessageBytes(int chunkFloats) => (chunkFloats * sizeof(float)) + (64 * 1024);

    /// <inheritdoc />
    public async ValueTask SendAsync(ChunkHeader header, ReadOnlyMemory<float> data, CancellationToken ct)
    {
        if (header.Length != data.Length)
        {
            throw new ArgumentException($"Header length {header.Length} differs from the data length {data.Length}.", nameof(header));
        }

        _call ??= _client.PushChunks(cancellationToken: CancellationToken.None);
        try
        {
            // UnsafeWrap over the caller's floats (FloatBytes): no copy and no fresh large-object-heap array; safe because
            // the message is serialized before WriteAsync completes, and the caller keeps the floats until then.
            var chunk = new Chunk
            {
                RunId = header.RunId,
                Generation = header.Generation,
                SourceRank = header.SourceRank,
                Sequence = header.Sequence,
                RingStep = header.RingStep,
                Offset = header.Offset,
                Data = UnsafeByteOperations.UnsafeWrap(FloatBytes.Of(data)),
            };
            await _call.RequestStream.WriteAsync(chunk, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && _call.ResponseAsync.IsCompleted)
        {
            // The server ended the call (it refused a chunk): its status says why, the write error does not.
            await _call.ResponseAsync.ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask ReceiveAsync(ChunkHeader expected, Memory<float> destination, CancellationToken ct)
    {
        if (expected.Length != destination.Length)
        {
            throw new ArgumentException(
                $"Expected length {expected.Length} differs from the destination length {destination.Length}.", nameof(expected));
        }

        ReceivedChunk chunk;
        try
        {
            chunk = await _inbox.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw new CollectiveProtocolException(
                $"The mailbox of generation {_identity.Generation} was closed: {e.InnerException?.Message ?? "the generation ended"}.", e);
        }

        using (chunk)
        {
            var data = chunk.Data;
            if (data.Length % sizeof(float) != 0)
            {
                throw new CollectiveProtocolException($"Chunk data of {data.Length} bytes is not a whole number of float32 values.");
            }

            var actual = new ChunkHeader(
                chunk.RunId, chunk.Generation, chunk.SourceRank, chunk.Sequence, chunk.RingStep, chunk.Offset, data.Length / sizeof(float));
            expected.EnsureMatches(actual);
            data.CopyTo(MemoryMarshal.AsBytes(destination.Span));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_call is not null)
        {
            try
            {
                await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
                await _call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException)
            {
                // The ring is being torn down; a failed call was already reported by the send that saw it.
            }
            catch (InvalidOperationException)
            {
                // CompleteAsync on a call that already ended.
            }

            _call.Dispose();
        }

        _channel.Dispose();
    }
}

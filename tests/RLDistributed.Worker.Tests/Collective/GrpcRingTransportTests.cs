using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

public sealed class GrpcRingTransportTests
{
    private static readonly RingAllReduceOptions Options = new() { ChunkFloats = RingAllReduceConstants.MinChunkFloats };

    [Theory]
    [InlineData(1000L, 16, "offset")]
    [InlineData(0L, 15, "length")]
    public async Task ReceiveAsync_PushedChunkWithWrongOffsetOrLength_Throws(long offset, int length, string field)
    {
        // Arrange: rank 1 of 2 serves PushChunks; a raw client plays rank 0.
        var mailbox = new CollectiveMailbox();
        var identity = Ring.Identity(1, 2);
        await using var transport = new GrpcRingTransport(new Uri("http://127.0.0.1:9"), mailbox, identity, Options);
        await using var server = await CollectiveServer.StartAsync(mailbox, Options);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Protos.V1.Collective.CollectiveClient(channel).PushChunks();

        // Act
        await call.RequestStream.WriteAsync(Chunk("run-a", 7, 0, offset, length));
        var error = await Assert.ThrowsAsync<CollectiveProtocolException>(() => transport.ReceiveAsync(
            new ChunkHeader("run-a", 7, SourceRank: 0, Sequence: 0, RingStep: 0, Offset: 0, Length: 16), new float[16], CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_LeftNeighbourStreamBreaks_ThrowsInsteadOfWaiting()
    {
        // Arrange: one good chunk, then the raw client abandons its call.
        var mailbox = new CollectiveMailbox();
        await using var transport = new GrpcRingTransport(new Uri("http://127.0.0.1:9"), mailbox, Ring.Identity(1, 2), Options);
        await using var server = await CollectiveServer.StartAsync(mailbox, Options);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var call = new Protos.V1.Collective.CollectiveClient(channel).PushChunks();
        await call.RequestStream.WriteAsync(Chunk("run-a", 7, 0, 0, 16));
        await transport.ReceiveAsync(new ChunkHeader("run-a", 7, 0, 0, 0, 0, 16), new float[16], CancellationToken.None);

        // Act
        call.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<CollectiveProtocolException>(() => transport.ReceiveAsync(
            new ChunkHeader("run-a", 7, 0, 0, 0, 16, 16), new float[16], timeout.Token).AsTask());

        // Assert
        Assert.Contains("push stream", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("other-run", 7L, 0, StatusCode.InvalidArgument)]
    [InlineData("run-a", 7L, 1, StatusCode.InvalidArgument)]
    [InlineData("run-a", 6L, 0, StatusCode.FailedPrecondition)]
    public async Task PushChunks_ChunkOfAnotherRunRankOrGeneration_IsRefused(string runId, long generation, int sourceRank, StatusCode status)
    {
        var mailbox = new CollectiveMailbox();
        mailbox.Open(Ring.Identity(1, 2));
        await using var server = await CollectiveServer.StartAsync(mailbox, Options);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var call = new Protos.V1.Collective.CollectiveClient(channel).PushChunks();

        try
        {
            await call.RequestStream.WriteAsync(Chunk(runId, generation, sourceRank, 0, 16));
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may end the call before the client finishes writing; its status is read below.
        }
        catch (InvalidOperationException)
        {
            // Same: the call completed under the writer.
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public async Task PushChunks_BytesThatAreNotAChunk_AreRefusedAsInvalidArgument()
    {
        var mailbox = new CollectiveMailbox();
        mailbox.Open(Ring.Identity(1, 2));
        await using var server = await CollectiveServer.StartAsync(mailbox, Options);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var raw = new Method<byte[], byte[]>(MethodType.ClientStreaming, "rld.v1.Collective", "PushChunks", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(raw, null, new CallOptions());

        try
        {
            // Field 7 (data) claiming 2^31 bytes in a 7-byte message.
            await call.RequestStream.WriteAsync([0x3A, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00]);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The server may end the call first; its status is read below.
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("not a Chunk", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_ChunksNeverRead_GiveTheirBuffersBack()
    {
        var mailbox = new CollectiveMailbox();
        var identity = Ring.Identity(1, 2);
        mailbox.Open(identity);
        var chunk = ChunkWireFormat.Parse(new System.Buffers.ReadOnlySequence<byte>(Chunk(identity.RunId, identity.Generation, 0, 0, 16).ToByteArray()));
        Assert.True(mailbox.WriterFor(chunk).TryWrite(chunk));

        mailbox.Close(identity.Generation);

        Assert.Throws<ObjectDisposedException>(() => chunk.Data.Length);
    }

    private static Chunk Chunk(string runId, long generation, int sourceRank, long offset, int length) => new()
    {
        RunId = runId,
        Generation = generation,
        SourceRank = sourceRank,
        Sequence = 0,
        RingStep = 0,
        Offset = offset,
        Data = ByteString.CopyFrom(new byte[length * sizeof(float)]),
    };
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using RLDistributed.Hosting.Security;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

public sealed class TcpRingTransportTests
{
    private static readonly RingAllReduceOptions Options = new() { ChunkFloats = RingAllReduceConstants.MinChunkFloats, ConnectTimeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("other-run", 7L, 0, "run id")]
    [InlineData("run-a", 6L, 0, "generation")]
    [InlineData("run-a", 7L, 2, "sender rank")]
    public async Task AcceptLeftAsync_WrongHandshake_RefusesItAndKeepsWaitingForTheNeighbour(string runId, long generation, int sender, string field)
    {
        // Arrange: rank 1 of 3 expects run-a, generation 7, sender rank 0.
        using var listener = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var accept = listener.AcceptLeftAsync(Ring.Identity(1, 3), CancellationToken.None);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        // Act: a wrong handshake first, then the real neighbour.
        await stranger.ConnectAsync(listener.LocalEndPoint);
        await stranger.SendAsync(TcpWire.EncodeHandshake(runId, generation, sender, 3));
        var reply = await ReadReplyAsync(stranger);
        var stillWaiting = !accept.IsCompleted;
        using var neighbour = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await neighbour.ConnectAsync(listener.LocalEndPoint);
        await neighbour.SendAsync(TcpWire.EncodeHandshake("run-a", 7, 0, 3));
        await using var accepted = await accept.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(1, reply.Status);
        Assert.Contains(field, reply.Reason, StringComparison.Ordinal);
        Assert.True(stillWaiting);
        Assert.Equal(0, (await ReadReplyAsync(neighbour)).Status);
    }

    [Theory]
    [InlineData(null, "no run token")]
    [InlineData("another-token-0123456789", "wrong run token")]
    public async Task AcceptLeftAsync_WithoutTheRunToken_RefusesAndDisconnects(string? token, string reason)
    {
        var security = new RunSecurity(RunToken.From("the-run-token-0123456789", "test"), null);
        using var listener = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0), security);
        var accept = listener.AcceptLeftAsync(Ring.Identity(1, 3), CancellationToken.None);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        await stranger.ConnectAsync(listener.LocalEndPoint);
        await stranger.SendAsync(TcpWire.EncodeHandshake("run-a", 7, 0, 3, token ?? ""));
        var reply = await ReadReplyAsync(stranger);
        var closed = await stranger.ReceiveAsync(new byte[1]);

        Assert.Equal(1, reply.Status);
        Assert.Contains(reason, reply.Reason, StringComparison.Ordinal);
        Assert.Equal(0, closed);
        Assert.False(accept.IsCompleted);
    }

    [Fact]
    public async Task AcceptLeftAsync_GarbageAndSilentConnections_DoNotStopTheRealNeighbour()
    {
        using var listener = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0)) { HandshakeTimeout = TimeSpan.FromMilliseconds(500) };
        var accept = listener.AcceptLeftAsync(Ring.Identity(1, 2), CancellationToken.None);
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(listener.LocalEndPoint);
        using var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await garbage.ConnectAsync(listener.LocalEndPoint);
        await garbage.SendAsync(Enumerable.Range(0, 100).Select(i => (byte)(i * 37)).ToArray());
        garbage.Shutdown(SocketShutdown.Send);

        using var neighbour = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await neighbour.ConnectAsync(listener.LocalEndPoint);
        await neighbour.SendAsync(TcpWire.EncodeHandshake("run-a", 7, 0, 2));
        await using var accepted = await accept.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, (await ReadReplyAsync(garbage)).Status);
        Assert.Equal(0, await silent.ReceiveAsync(new byte[1]).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<(int Status, string Reason)> ReadReplyAsync(Socket socket)
    {
        var head = new byte[3];
        var read = 0;
        while (read < 3) read += await socket.ReceiveAsync(head.AsMemory(read));
        var reason = new byte[BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(1))];
        read = 0;
        while (read < reason.Length) read += await socket.ReceiveAsync(reason.AsMemory(read));
        return (head[0], System.Text.Encoding.UTF8.GetString(reason));
    }

    /// <summary>
    /// A rank forming generation 7 refuses a left neighbour of generation 8, and a rank forming generation 8 one of
    /// generation 7. Each forming rank dials a listener where nobody forms (its handshake waits there), so it is
    /// still forming when the other generation's handshake arrives: a rank that has given up holds a newer
    /// generation's handshake for its next ring instead of refusing it, and two ranks refusing each other at once
    /// would race on that.
    /// </summary>
    [Fact]
    public async Task ConnectAsync_NeighbourInAnotherGeneration_IsRefusedOnBothSides()
    {
        // Arrange: rank 1 forms generation 7, rank 0 forms generation 8; both dial a silent right neighbour.
        using var silent = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var atGeneration7 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var atGeneration8 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource();
        var untilStopped = new RingAllReduceOptions { ChunkFloats = Options.ChunkFloats, ConnectTimeout = TimeSpan.FromMinutes(5) };
        var forming7 = TcpRingTransport.ConnectAsync(atGeneration7, silent.LocalEndPoint, Ring.Identity(1, 2), untilStopped, stop.Token);
        var forming8 = TcpRingTransport.ConnectAsync(atGeneration8, silent.LocalEndPoint, Ring.Identity(0, 2) with { Generation = 8 }, untilStopped, stop.Token);

        // Act: rank 0 of generation 8 dials the rank forming generation 7; rank 1 of generation 7 the one forming 8.
        using var dialer8 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var dialer7 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var newer = await Assert.ThrowsAsync<CollectiveProtocolException>(() => TcpRingTransport.ConnectAsync(
            dialer8, atGeneration7.LocalEndPoint, Ring.Identity(0, 2) with { Generation = 8 }, Options, CancellationToken.None));
        var older = await Assert.ThrowsAsync<CollectiveProtocolException>(() => TcpRingTransport.ConnectAsync(
            dialer7, atGeneration8.LocalEndPoint, Ring.Identity(1, 2), Options, CancellationToken.None));
        var bothStillForming = !forming7.IsCompleted && !forming8.IsCompleted;
        await stop.CancelAsync();

        // Assert: each refusal names the generation; the refusing ranks went on forming until stopped.
        Assert.Contains("generation 8 is not 7", newer.Message, StringComparison.Ordinal);
        Assert.Contains("generation 7 is not 8", older.Message, StringComparison.Ordinal);
        Assert.True(bothStillForming);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forming7);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => forming8);
    }

    [Fact]
    public async Task ConnectAsync_NoNeighbour_ThrowsTimeoutAfterConnectTimeout()
    {
        using var listener = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var free = FreePort();
        var options = new RingAllReduceOptions { ConnectTimeout = TimeSpan.FromMilliseconds(500) };

        await Assert.ThrowsAsync<TimeoutException>(() => TcpRingTransport.ConnectAsync(
            listener, new IPEndPoint(IPAddress.Loopback, free), Ring.Identity(0, 2), options, CancellationToken.None));
    }

    [Fact]
    public async Task ConnectAsync_NeighbourStartsLater_RetriesUntilItListens()
    {
        // Arrange: rank 0 starts first and dials a port nobody listens on yet.
        using var listener0 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var port1 = FreePort();
        var rank0 = TcpRingTransport.ConnectAsync(listener0, new IPEndPoint(IPAddress.Loopback, port1), Ring.Identity(0, 2), Options, CancellationToken.None);

        // Act
        await Task.Delay(300);
        using var listener1 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, port1));
        var rank1 = TcpRingTransport.ConnectAsync(listener1, listener0.LocalEndPoint, Ring.Identity(1, 2), Options, CancellationToken.None);

        // Assert
        await using var transport0 = await rank0;
        await using var transport1 = await rank1;
        Assert.NotNull(transport0);
    }

    [Theory]
    [InlineData(1000L, 16, "offset")]
    [InlineData(0L, 15, "length")]
    public async Task ReceiveAsync_FrameWithWrongOffsetOrLength_Throws(long offset, int length, string field)
    {
        // Arrange: rank 1 of 2 is real; rank 0 is a hand-made peer writing its own frames.
        using var listener0 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var listener1 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var fakeAccept = listener0.AcceptLeftAsync(Ring.Identity(0, 2), CancellationToken.None);
        var connecting = TcpRingTransport.ConnectAsync(listener1, listener0.LocalEndPoint, Ring.Identity(1, 2), Options, CancellationToken.None);
        using var fakeSend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fakeSend.ConnectAsync(listener1.LocalEndPoint);
        await fakeSend.SendAsync(TcpWire.EncodeHandshake("run-a", 7, 0, 2));
        await using var transport = await connecting;
        using var fakeReceive = await fakeAccept;

        var frame = new byte[TcpWire.FrameHeaderBytes + (length * sizeof(float))];
        TcpWire.EncodeFrameHeader(frame, new ChunkHeader("run-a", 7, 0, 0, 0, offset, length));
        await fakeSend.SendAsync(frame);

        // Act
        var expected = new ChunkHeader("run-a", 7, SourceRank: 0, Sequence: 0, RingStep: 0, Offset: 0, Length: 16);
        var error = await Assert.ThrowsAsync<CollectiveProtocolException>(
            () => transport.ReceiveAsync(expected, new float[16], CancellationToken.None).AsTask());

        // Assert
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_FrameLongerThanChunk_ThrowsBeforeReadingPayload()
    {
        using var listener0 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var listener1 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var fakeAccept = listener0.AcceptLeftAsync(Ring.Identity(0, 2), CancellationToken.None);
        var connecting = TcpRingTransport.ConnectAsync(listener1, listener0.LocalEndPoint, Ring.Identity(1, 2), Options, CancellationToken.None);
        using var fakeSend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fakeSend.ConnectAsync(listener1.LocalEndPoint);
        await fakeSend.SendAsync(TcpWire.EncodeHandshake("run-a", 7, 0, 2));
        await using var transport = await connecting;
        using var fakeReceive = await fakeAccept;

        var header = new byte[TcpWire.FrameHeaderBytes];
        TcpWire.EncodeFrameHeader(header, new ChunkHeader("run-a", 7, 0, 0, 0, 0, 16));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), int.MaxValue);
        await fakeSend.SendAsync(header);

        var error = await Assert.ThrowsAsync<CollectiveProtocolException>(
            () => transport.ReceiveAsync(new ChunkHeader("run-a", 7, 0, 0, 0, 0, 16), new float[16], CancellationToken.None).AsTask());

        Assert.Contains("length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ThenReceiveAsync_DeliversTheFloatsExactly()
    {
        await using var ring = await Ring.CreateAsync(RingTransportKind.Tcp, 2, Options);
        var data = new[] { 1.5f, -0f, float.NaN, float.Epsilon };
        var received = new float[4];

        await ring.Transports[0].SendAsync(new ChunkHeader("run-a", 7, 0, 3, 1, 8, 4), data, CancellationToken.None);
        await ring.Transports[1].ReceiveAsync(new ChunkHeader("run-a", 7, 0, 3, 1, 8, 4), received, CancellationToken.None);

        Assert.Equal(MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), MemoryMarshal.AsBytes(received.AsSpan()).ToArray());
    }

    private static int FreePort()
    {
        using var probe = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        return probe.LocalEndPoint.Port;
    }
}

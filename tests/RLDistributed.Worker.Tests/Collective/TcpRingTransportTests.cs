using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

public sealed class TcpRingTransportTests
{
    private static readonly RingAllReduceOptions Options = new() { ChunkFloats = RingAllReduceConstants.MinChunkFloats, ConnectTimeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("other-run", 7L, 0, "run id")]
    [InlineData("run-a", 6L, 0, "generation")]
    [InlineData("run-a", 7L, 2, "sender rank")]
    public async Task AcceptLeftAsync_WrongHandshake_RefusesAndSaysWhy(string runId, long generation, int sender, string field)
    {
        // Arrange: rank 1 of 3 expects run-a, generation 7, sender rank 0.
        using var listener = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        var accept = listener.AcceptLeftAsync(Ring.Identity(1, 3), CancellationToken.None);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        // Act
        await client.ConnectAsync(listener.LocalEndPoint);
        await client.SendAsync(TcpWire.EncodeHandshake(runId, generation, sender, 3));
        var error = await Assert.ThrowsAsync<CollectiveProtocolException>(() => accept);
        var reply = new byte[1];
        var read = await client.ReceiveAsync(reply);

        // Assert
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, read);
        Assert.Equal(1, reply[0]);
    }

    [Fact]
    public async Task ConnectAsync_NeighbourInAnotherGeneration_IsRefusedOnBothSides()
    {
        using var listener0 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));
        using var listener1 = new TcpRingListener(new IPEndPoint(IPAddress.Loopback, 0));

        var rank0 = TcpRingTransport.ConnectAsync(listener0, listener1.LocalEndPoint, Ring.Identity(0, 2), Options, CancellationToken.None);
        var rank1 = TcpRingTransport.ConnectAsync(listener1, listener0.LocalEndPoint, Ring.Identity(1, 2) with { Generation = 8 }, Options, CancellationToken.None);

        await Assert.ThrowsAsync<CollectiveProtocolException>(() => rank0);
        await Assert.ThrowsAsync<CollectiveProtocolException>(() => rank1);
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

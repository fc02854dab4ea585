using System.Net;
using System.Net.Sockets;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// The byte view the tcp transport reads into and writes from: through a real loopback socket (which pins the memory
/// for every operation), with reads that stop at byte offsets inside a float, the floats arrive bit for bit.
/// </summary>
public sealed class FloatBytesTests
{
    [Fact]
    public async Task Of_ThroughALoopbackSocket_WithReadsEndingInsideFloats_DeliversEveryBit()
    {
        // Every bit pattern counts (NaNs included): a multiplicative hash of the index spreads them.
        var sent = Enumerable.Range(0, 10_001).Select(i => BitConverter.Int32BitsToSingle(unchecked(i * -1_640_531_535))).ToArray();
        var received = new float[sent.Length + 2];
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        await using var writer = new NetworkStream(client);
        await using var reader = new NetworkStream(server);

        // Written from a slice that does not start at the array's start, read into one that does not either.
        var write = writer.WriteAsync(FloatBytes.Of((ReadOnlyMemory<float>)sent.AsMemory(1)));
        var target = FloatBytes.Of(received.AsMemory(1, sent.Length - 1));
        while (target.Length > 0)
        {
            var read = await reader.ReadAsync(target[..Math.Min(7, target.Length)]);
            Assert.True(read > 0, "the stream closed early");
            target = target[read..];
        }
        await write;

        Assert.Equal(sent.Skip(1).Select(BitConverter.SingleToInt32Bits), received.Skip(1).Take(sent.Length - 1).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(0f, received[0]);
        Assert.Equal(0f, received[^1]);
    }
}

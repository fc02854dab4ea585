using System.Net.Sockets;

namespace RLDistributed.Worker.Collective;

/// <summary>Socket settings and exact-length reads shared by both ends of the tcp transport.</summary>
internal static class TcpSocketTuning
{
    /// <summary>4 MiB: room for several 1 MiB frames in flight, so the sender rarely waits on the receiver's reads.</summary>
    public const int SocketBufferBytes = 4 * 1024 * 1024;

    public static void Apply(Socket socket)
    {
        // Frames are written whole; Nagle would only delay the last segment of each.
        socket.NoDelay = true;
        socket.SendBufferSize = SocketBufferBytes;
        socket.ReceiveBufferSize = SocketBufferBytes;
    }

    /// <summary>Fills <paramref name="buffer"/> from a stream (plain or TLS) or throws when the peer closes first.</summary>
    public static async ValueTask ReceiveExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        while (buffer.Length > 0)
        {
            var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new CollectiveProtocolException(
                    $"The ring neighbour closed the connection with {buffer.Length} bytes still expected.");
            }

            buffer = buffer[read..];
        }
    }
}

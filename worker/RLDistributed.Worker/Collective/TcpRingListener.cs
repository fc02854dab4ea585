using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The listening socket of one rank's tcp transport: its left neighbour connects here. Binds on construction,
/// so with port 0 the bound port is known (<see cref="LocalEndPoint"/>) before it is published to the ring.
/// </summary>
public sealed class TcpRingListener : IDisposable
{
    private readonly Socket _socket;

    /// <summary>Binds to <paramref name="endPoint"/> (port 0 picks a free port) and starts listening.</summary>
    public TcpRingListener(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Bind(endPoint);
            _socket.Listen(backlog: 16);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Accepts one connection and checks its handshake against <paramref name="identity"/>: same protocol version,
    /// run id, generation and world size, and sender == left neighbour. A mismatch is answered with a refusal,
    /// the socket is closed and <see cref="CollectiveProtocolException"/> says why.
    /// </summary>
    internal async Task<Socket> AcceptLeftAsync(RingIdentity identity, CancellationToken ct)
    {
        var socket = await _socket.AcceptAsync(ct).ConfigureAwait(false);
        try
        {
            TcpSocketTuning.Apply(socket);
            var reason = await ReadAndCheckHandshakeAsync(socket, identity, ct).ConfigureAwait(false);
            await socket.SendAsync(TcpWire.EncodeReply(reason is null, reason ?? string.Empty), ct).ConfigureAwait(false);
            if (reason is not null)
            {
                throw new CollectiveProtocolException($"Rank {identity.Rank} refused a ring connection: {reason}");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string?> ReadAndCheckHandshakeAsync(Socket socket, RingIdentity identity, CancellationToken ct)
    {
        var fixedPart = new byte[TcpWire.HandshakeFixedBytes];
        await TcpSocketTuning.ReceiveExactlyAsync(socket, fixedPart, ct).ConfigureAwait(false);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart);
        if (magic != TcpWire.HandshakeMagic)
        {
            return $"handshake magic 0x{magic:X8} is not 0x{TcpWire.HandshakeMagic:X8}";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart.AsSpan(4));
        var generation = BinaryPrimitives.ReadInt64LittleEndian(fixedPart.AsSpan(6));
        var sender = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(14));
        var worldSize = BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(18));
        var runIdLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart.AsSpan(22));
        if (runIdLength > TcpWire.MaxRunIdBytes)
        {
            return $"run id of {runIdLength} bytes exceeds {TcpWire.MaxRunIdBytes}";
        }

        var runIdBytes = new byte[runIdLength];
        await TcpSocketTuning.ReceiveExactlyAsync(socket, runIdBytes, ct).ConfigureAwait(false);
        var runId = Encoding.UTF8.GetString(runIdBytes);

        if (version != TcpWire.ProtocolVersion)
        {
            return $"protocol version {version} is not {TcpWire.ProtocolVersion}";
        }

        if (runId != identity.RunId)
        {
            return $"run id '{runId}' is not '{identity.RunId}'";
        }

        if (generation != identity.Generation)
        {
            return $"generation {generation} is not {identity.Generation}";
        }

        if (worldSize != identity.WorldSize)
        {
            return $"world size {worldSize} is not {identity.WorldSize}";
        }

        if (sender != identity.LeftRank)
        {
            return $"sender rank {sender} is not the left neighbour {identity.LeftRank}";
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}

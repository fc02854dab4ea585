using System.Buffers.Binary;
using System.Text;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// A connector's handshake as the listener read it. <see cref="ReadAsync"/> refuses what is malformed or
/// unauthenticated before anything about the ring is compared, and never reads more than the wire's limits.
/// </summary>
internal sealed record TcpHandshake(string RunId, long Generation, int SenderRank, int WorldSize)
{
    /// <summary>Reads and checks magic, version and token; returns the handshake or the reason for refusing it.</summary>
    public static async Task<(TcpHandshake? Hello, string? Refusal)> ReadAsync(Stream stream, RunToken? token, CancellationToken ct)
    {
        var fixedPart = new byte[TcpWire.HandshakeFixedBytes];
        await stream.ReadExactlyAsync(fixedPart, ct).ConfigureAwait(false);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart);
        if (magic != TcpWire.HandshakeMagic) return (null, $"handshake magic 0x{magic:X8} is not 0x{TcpWire.HandshakeMagic:X8}");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart.AsSpan(4));
        if (version != TcpWire.ProtocolVersion) return (null, $"protocol version {version} is not {TcpWire.ProtocolVersion}");
        var runIdLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart.AsSpan(22));
        if (runIdLength > TcpWire.MaxRunIdBytes) return (null, $"run id of {runIdLength} bytes exceeds {TcpWire.MaxRunIdBytes}");
        var runId = new byte[runIdLength];
        await stream.ReadExactlyAsync(runId, ct).ConfigureAwait(false);
        var tokenLengthBytes = new byte[2];
        await stream.ReadExactlyAsync(tokenLengthBytes, ct).ConfigureAwait(false);
        var tokenLength = BinaryPrimitives.ReadUInt16LittleEndian(tokenLengthBytes);
        if (tokenLength > TcpWire.MaxTokenBytes) return (null, $"run token of {tokenLength} bytes exceeds {TcpWire.MaxTokenBytes}");
        var presented = new byte[tokenLength];
        await stream.ReadExactlyAsync(presented, ct).ConfigureAwait(false);
        if (token is not null && !token.Matches(Encoding.UTF8.GetString(presented)))
            return (null, tokenLength == 0 ? "unauthenticated: no run token" : "unauthenticated: wrong run token");
        return (new TcpHandshake(
            Encoding.UTF8.GetString(runId),
            Generation: BinaryPrimitives.ReadInt64LittleEndian(fixedPart.AsSpan(6)),
            SenderRank: BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(14)),
            WorldSize: BinaryPrimitives.ReadInt32LittleEndian(fixedPart.AsSpan(18))), null);
    }

    /// <summary>Why this handshake does not come from <paramref name="identity"/>'s left neighbour (null: it does).</summary>
    public string? MismatchWith(RingIdentity identity)
    {
        if (RunId != identity.RunId) return $"run id '{RunId}' is not '{identity.RunId}'";
        if (Generation != identity.Generation) return $"generation {Generation} is not {identity.Generation}";
        if (WorldSize != identity.WorldSize) return $"world size {WorldSize} is not {identity.WorldSize}";
        if (SenderRank != identity.LeftRank) return $"sender rank {SenderRank} is not the left neighbour {identity.LeftRank}";
        return null;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The binary layout of the tcp transport, all little-endian. Handshake (connector → acceptor): magic, version,
/// generation, sender rank, world size, run id and run token (UTF-8, each length-prefixed). Reply: status byte and a UTF-8 reason.
/// Frame: a fixed 40-byte header, then <c>length</c> float32 values.
/// </summary>
internal static class TcpWire
{
    /// <summary>"RLDH": marks a handshake, so a stray client (an HTTP probe, say) is refused at once.</summary>
    public const uint HandshakeMagic = 0x48444C52;

    /// <summary>"RLDF": marks a frame; a desynchronised stream fails on the next header, not later.</summary>
    public const uint FrameMagic = 0x46444C52;

    /// <summary>2: the handshake carries the run token.</summary>
    public const ushort ProtocolVersion = 2;
    public const int FrameHeaderBytes = 40;
    public const int MaxRunIdBytes = 1024;
    public const int MaxTokenBytes = 1024;
    public const int HandshakeFixedBytes = 4 + 2 + 8 + 4 + 4 + 2;

    public static byte[] EncodeHandshake(string runId, long generation, int senderRank, int worldSize, string token = "", ushort version = ProtocolVersion)
    {
        var id = Encoding.UTF8.GetBytes(runId);
        if (id.Length > MaxRunIdBytes)
        {
            throw new ArgumentException($"Run id is {id.Length} bytes in UTF-8; at most {MaxRunIdBytes} are allowed.", nameof(runId));
        }

        var secret = Encoding.UTF8.GetBytes(token);
        if (secret.Length > MaxTokenBytes)
        {
            throw new ArgumentException($"The run token is {secret.Length} bytes in UTF-8; at most {MaxTokenBytes} are allowed.", nameof(token));
        }

        var bytes = new byte[HandshakeFixedBytes + id.Length + 2 + secret.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, HandshakeMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], version);
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], generation);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], senderRank);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], worldSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)id.Length);
        id.CopyTo(span[HandshakeFixedBytes..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(HandshakeFixedBytes + id.Length)..], (ushort)secret.Length);
        secret.CopyTo(span[(HandshakeFixedBytes + id.Length + 2)..]);
        return bytes;
    }

    public static void EncodeFrameHeader(Span<byte> span, in ChunkHeader header)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span, FrameMagic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], header.SourceRank);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], header.Generation);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], header.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], header.RingStep);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], header.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], header.Offset);
    }

    /// <summary>Decodes a frame header; the run id is the one agreed in the handshake.</summary>
    public static ChunkHeader DecodeFrameHeader(ReadOnlySpan<byte> span, string runId)
    {
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (magic != FrameMagic)
        {
            throw new CollectiveProtocolException($"Frame magic 0x{magic:X8} is not 0x{FrameMagic:X8}: the stream is out of step.");
        }

        return new ChunkHeader(
            runId,
            Generation: BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
            SourceRank: BinaryPrimitives.ReadInt32LittleEndian(span[4..]),
            Sequence: BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            RingStep: BinaryPrimitives.ReadInt32LittleEndian(span[24..]),
            Offset: BinaryPrimitives.ReadInt64LittleEndian(span[32..]),
            Length: BinaryPrimitives.ReadInt32LittleEndian(span[28..]));
    }

    public static byte[] EncodeReply(bool accepted, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var bytes = new byte[3 + text.Length];
        bytes[0] = accepted ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(1), (ushort)text.Length);
        text.CopyTo(bytes, 3);
        return bytes;
    }
}

using System.Buffers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// Reads the protobuf encoding of <c>rld.v1.Chunk</c> (collective.proto) into a <see cref="ReceivedChunk"/> whose
/// data lies in a pooled buffer. The generated parser copies <c>bytes data</c> into a new array per message; this
/// reader copies it once, from the received payload into the rented buffer. Same wire format: unknown fields are
/// skipped, a repeated field's last value wins, as the generated parser does.
/// </summary>
internal static class ChunkWireFormat
{
    private const int RunIdField = 1;
    private const int GenerationField = 2;
    private const int SourceRankField = 3;
    private const int SequenceField = 4;
    private const int RingStepField = 5;
    private const int OffsetField = 6;
    private const int DataField = 7;

    private const int VarintWire = 0;
    private const int Fixed64Wire = 1;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    private const int MaxVarintBytes = 10;

    // Throws on invalid UTF-8, as the generated parser does (it refuses such a run_id instead of replacing bytes).
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The marshaller of the server's <c>PushChunks</c> requests.</summary>
    public static Marshaller<ReceivedChunk> Marshaller { get; } = Marshallers.Create<ReceivedChunk>(Write, context => Parse(context.PayloadAsReadOnlySequence()));

    /// <summary>Parses one encoded <c>Chunk</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a Chunk message.</exception>
    public static ReceivedChunk Parse(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        var runId = "";
        long generation = 0, sequence = 0, offset = 0;
        int sourceRank = 0, ringStep = 0;
        byte[] data = [];
        var dataLength = 0;
        try
        {
            while (!reader.End)
            {
                var tag = ReadVarint(ref reader);
                var field = tag >> 3;
                var wire = (int)(tag & 7);
                if (field == 0) throw Malformed("a field numbered 0");
                switch (field, wire)
                {
                    case (RunIdField, LengthDelimitedWire):
                        var runIdLength = ReadLength(ref reader);
                        runId = ReadString(reader.UnreadSequence.Slice(0, runIdLength));
                        reader.Advance(runIdLength);
                        break;
                    case (GenerationField, VarintWire): generation = (long)ReadVarint(ref reader); break;
                    case (SourceRankField, VarintWire): sourceRank = (int)ReadVarint(ref reader); break;
                    case (SequenceField, VarintWire): sequence = (long)ReadVarint(ref reader); break;
                    case (RingStepField, VarintWire): ringStep = (int)ReadVarint(ref reader); break;
                    case (OffsetField, VarintWire): offset = (long)ReadVarint(ref reader); break;
                    case (DataField, LengthDelimitedWire):
                        var length = ReadLength(ref reader);
                        Return(data);
                        data = [];
                        if (length > 0) data = ArrayPool<byte>.Shared.Rent(length);
                        reader.UnreadSequence.Slice(0, length).CopyTo(data);
                        reader.Advance(length);
                        dataLength = length;
                        break;
                    default:
                        Skip(ref reader, wire);
                        break;
                }
            }
        }
        catch
        {
            Return(data);
            throw;
        }

        return new ReceivedChunk(runId, generation, sourceRank, sequence, ringStep, offset, data, dataLength);
    }

    /// <summary>Writes <paramref name="chunk"/> in the same encoding (what a sender of this type would put on the wire).</summary>
    public static void Write(ReceivedChunk chunk, SerializationContext context)
    {
        var message = new Chunk
        {
            RunId = chunk.RunId,
            Generation = chunk.Generation,
            SourceRank = chunk.SourceRank,
            Sequence = chunk.Sequence,
            RingStep = chunk.RingStep,
            Offset = chunk.Offset,
            Data = ByteString.CopyFrom(chunk.Data),
        };
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static string ReadString(ReadOnlySequence<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"not a Chunk message: run_id is not UTF-8 ({e.Message})", e);
        }
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong value = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (!reader.TryRead(out var b)) throw Malformed("a varint cut off by the message's end");
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80) return value;
        }
        throw Malformed($"a varint longer than {MaxVarintBytes} bytes");
    }

    private static int ReadLength(ref SequenceReader<byte> reader)
    {
        var length = ReadVarint(ref reader);
        if (length > (ulong)reader.Remaining) throw Malformed($"a field of {length} bytes with {reader.Remaining} left in the message");
        return (int)length;
    }

    private static void Skip(ref SequenceReader<byte> reader, int wire)
    {
        long bytes = wire switch
        {
            VarintWire => 0,
            Fixed64Wire => 8,
            LengthDelimitedWire => ReadLength(ref reader),
            Fixed32Wire => 4,
            _ => throw Malformed($"wire type {wire}"),
        };
        if (wire == VarintWire) ReadVarint(ref reader);
        else if (bytes > reader.Remaining) throw Malformed("a field cut off by the message's end");
        else reader.Advance(bytes);
    }

    private static void Return(byte[] data)
    {
        if (data.Length > 0) ArrayPool<byte>.Shared.Return(data);
    }

    private static InvalidDataException Malformed(string what) => new($"not a Chunk message: {what}");
}

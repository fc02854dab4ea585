using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Tests.Collective;

/// <summary>
/// The pooled reader of <c>rld.v1.Chunk</c> against the generated parser: the same fields from the same bytes, the
/// same bytes refused.
/// </summary>
public sealed class ChunkWireFormatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(4096)]
    [InlineData((1 << 20) + 12)]
    public void Parse_EncodedChunk_ReadsEveryField(int dataBytes)
    {
        var sent = Sample(dataBytes, seed: dataBytes);

        using var received = ChunkWireFormat.Parse(new ReadOnlySequence<byte>(sent.ToByteArray()));

        AssertSame(sent, received);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Parse_PayloadInManySegments_ReadsTheSameChunk(int segmentBytes)
    {
        var sent = Sample(20_000, seed: segmentBytes);

        using var received = ChunkWireFormat.Parse(Segmented(sent.ToByteArray(), segmentBytes));

        AssertSame(sent, received);
    }

    [Fact]
    public void Parse_UnknownFieldsOfEveryWireTypeAndAKnownFieldOfAnotherType_AreSkipped()
    {
        var sent = Sample(64, seed: 1);
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(99, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        sent.WriteTo(output);
        output.WriteTag(100, WireFormat.WireType.Fixed64);
        output.WriteFixed64(0x0102030405060708);
        output.WriteTag(101, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(new byte[300]));
        output.WriteTag(102, WireFormat.WireType.Fixed32);
        output.WriteFixed32(7);
        output.WriteTag(2, WireFormat.WireType.Fixed32); // generation, but not as a varint: an unknown field to both parsers
        output.WriteFixed32(5);
        output.Flush();
        var bytes = stream.ToArray();

        using var received = ChunkWireFormat.Parse(new ReadOnlySequence<byte>(bytes));

        AssertSame(sent, received);
        AssertSame(Chunk.Parser.ParseFrom(bytes), received);
    }

    [Fact]
    public void Parse_FieldsRepeated_LastValueWinsAsInTheGeneratedParser()
    {
        var bytes = Sample(64, seed: 2).ToByteArray().Concat(Sample(16, seed: 3).ToByteArray()).ToArray();

        using var received = ChunkWireFormat.Parse(new ReadOnlySequence<byte>(bytes));

        AssertSame(Chunk.Parser.ParseFrom(bytes), received);
        AssertSame(Sample(16, seed: 3), received);
    }

    [Fact]
    public void Parse_MessageCutAtEveryByte_AcceptsAndRefusesAsTheGeneratedParser()
    {
        var full = Sample(64, seed: 4).ToByteArray();
        for (var cut = 0; cut <= full.Length; cut++)
        {
            var bytes = full[..cut];
            var expected = GeneratedOrNull(bytes);
            using var received = OursOrNull(bytes);

            Assert.True(expected is null == received is null, $"cut at {cut}: generated {(expected is null ? "refused" : "accepted")}, pooled {(received is null ? "refused" : "accepted")}");
            if (expected is not null) AssertSame(expected, received!);
        }
    }

    [Fact]
    public void Parse_CorruptedMessages_AcceptedOnlyWhereTheGeneratedParserAcceptsThemWithTheSameFields()
    {
        var random = new Random(5);
        int accepted = 0, refused = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Sample(random.Next(0, 40) * 4, seed: i).ToByteArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);

            using var received = OursOrNull(bytes);
            if (received is null)
            {
                refused++;
                continue;
            }
            accepted++;
            var expected = GeneratedOrNull(bytes);
            Assert.True(expected is not null, $"message {i} ({Convert.ToHexString(bytes)}) accepted by the pooled reader only");
            AssertSame(expected!, received);
        }

        Assert.True(accepted > 100 && refused > 100, $"corruptions accepted {accepted}, refused {refused}: both cases must be exercised");
    }

    [Fact]
    public void Marshaller_SerializesWhatTheGeneratedParserReads()
    {
        var sent = Sample(100, seed: 6);
        using var received = ChunkWireFormat.Parse(new ReadOnlySequence<byte>(sent.ToByteArray()));

        var context = new BufferSerializationContext();
        ChunkWireFormat.Marshaller.ContextualSerializer(received, context);

        Assert.True(context.Completed);
        Assert.Equal(context.Written.Length, context.DeclaredLength);
        Assert.Equal(sent, Chunk.Parser.ParseFrom(context.Written.Span));
    }

    [Fact]
    public void Dispose_GivesTheBufferBack_AndTheDataCanNoLongerBeRead()
    {
        var received = ChunkWireFormat.Parse(new ReadOnlySequence<byte>(Sample(64, seed: 7).ToByteArray()));
        Assert.Equal(64, received.Data.Length);

        received.Dispose();
        received.Dispose();

        Assert.Throws<ObjectDisposedException>(() => received.Data.Length);
        Assert.Equal(64, received.DataLength);
    }

    [Fact]
    public void CollectiveMethods_BindEveryMethodOfTheProtoServiceWithItsShape()
    {
        var service = Protos.V1.Collective.Descriptor;
        IMethod[] bound = [CollectiveMethods.PushChunks, CollectiveMethods.FetchState];

        Assert.Equal(service.Methods.Select(m => m.Name).Order(), bound.Select(m => m.Name).Order());
        foreach (var method in bound)
        {
            var declared = service.FindMethodByName(method.Name);
            Assert.Equal(service.FullName, method.ServiceName);
            Assert.Equal(declared.IsClientStreaming, method.Type is MethodType.ClientStreaming or MethodType.DuplexStreaming);
            Assert.Equal(declared.IsServerStreaming, method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming);
        }
        Assert.Equal(Chunk.Descriptor.FullName, service.FindMethodByName("PushChunks").InputType.FullName);
    }

    private static Chunk Sample(int dataBytes, int seed)
    {
        var random = new Random(seed);
        var data = new byte[dataBytes];
        random.NextBytes(data);
        return new Chunk
        {
            RunId = $"run-{seed}-ü",
            Generation = random.NextInt64(1, long.MaxValue),
            SourceRank = seed % 2 == 0 ? random.Next(1, 1000) : -random.Next(1, 1000),
            Sequence = random.NextInt64(1, 1L << 40),
            RingStep = random.Next(1, 100),
            Offset = random.NextInt64(1, 1L << 33),
            Data = ByteString.CopyFrom(data),
        };
    }

    private static void AssertSame(Chunk expected, ReceivedChunk actual)
    {
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(expected.Generation, actual.Generation);
        Assert.Equal(expected.SourceRank, actual.SourceRank);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.RingStep, actual.RingStep);
        Assert.Equal(expected.Offset, actual.Offset);
        Assert.True(expected.Data.Span.SequenceEqual(actual.Data), "data differs");
    }

    private static Chunk? GeneratedOrNull(byte[] bytes)
    {
        try
        {
            return Chunk.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static ReceivedChunk? OursOrNull(byte[] bytes)
    {
        try
        {
            return ChunkWireFormat.Parse(new ReadOnlySequence<byte>(bytes));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentBytes)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(segmentBytes, bytes.Length)), 0);
        var last = first;
        for (var start = segmentBytes; start < bytes.Length; start += segmentBytes)
        {
            last = last.Append(bytes.AsMemory(start, Math.Min(segmentBytes, bytes.Length - start)));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>What gRPC's transport gives a serializer: a buffer writer, the declared payload length, completion.</summary>
    private sealed class BufferSerializationContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _writer = new();

        public int DeclaredLength { get; private set; } = -1;

        public bool Completed { get; private set; }

        public ReadOnlyMemory<byte> Written => _writer.WrittenMemory;

        public override void SetPayloadLength(int payloadLength) => DeclaredLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => _writer;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload)
        {
            _writer.Write(payload);
            Completed = true;
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

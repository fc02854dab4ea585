using Google.Protobuf;
using Grpc.Core;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The server's methods of <c>rld.v1.Collective</c>, bound by <see cref="CollectiveMethodProvider"/> instead of the
/// generated base class so that <c>PushChunks</c> can receive into pooled buffers (<see cref="ChunkWireFormat"/>).
/// Names and message types are those of collective.proto; clients keep the generated stub.
/// </summary>
internal static class CollectiveMethods
{
    private static readonly string ServiceName = Protos.V1.Collective.Descriptor.FullName;

    /// <summary>The left neighbour's stream of chunks.</summary>
    public static Method<ReceivedChunk, PushAck> PushChunks { get; } =
        new(MethodType.ClientStreaming, ServiceName, "PushChunks", ChunkWireFormat.Marshaller, Protobuf(PushAck.Parser));

    /// <summary>The state broadcast to a late joiner.</summary>
    public static Method<StateRequest, StateChunk> FetchState { get; } =
        new(MethodType.ServerStreaming, ServiceName, "FetchState", Protobuf(StateRequest.Parser), Protobuf(StateChunk.Parser));

    private static Marshaller<T> Protobuf<T>(MessageParser<T> parser)
        where T : IMessage<T>, IBufferMessage =>
        Marshallers.Create<T>(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}

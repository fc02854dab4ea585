namespace RLDistributed.Worker.Collective;

/// <summary>How the chunks of the ring all-reduce travel between neighbours.</summary>
public enum RingTransportKind
{
    /// <summary>A dedicated TCP socket per neighbour with binary frames: the data plane, and the default.</summary>
    Tcp = 0,

    /// <summary>The workers' <c>Collective.PushChunks</c> gRPC stream, for networks where only HTTP/2 passes.</summary>
    Grpc = 1,
}

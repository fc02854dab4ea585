using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;

namespace RLDistributed.Worker.Training;

/// <summary>
/// Reads the state of a generation's start step from its state source (FetchState, 1 MiB chunks), retrying
/// while the source has not published it yet. Chunks must arrive in order with one consistent total, and the
/// total is bounded, so a confused or hostile peer cannot make this worker allocate without limit.
/// </summary>
public static class StateFetcher
{
    /// <summary>The largest state accepted (the CIFAR network with its EMA and Adam moments is about 0.6 GB).</summary>
    public const long MaxStateBytes = 2L << 30;

    /// <summary>Fetches and parses the snapshot; also returns its size in bytes.</summary>
    public static async Task<(TrainingSnapshot Snapshot, long Bytes)> FetchAsync(Peer source, StateRequest request, ResiliencePipelines pipelines, RunSecurity security, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(security.PeerUri(source.CollectiveEndpoint),
            new GrpcChannelOptions { MaxReceiveMessageSize = 8 << 20, HttpHandler = security.CreateHandler() });
        var client = new Protos.V1.Collective.CollectiveClient(channel);
        var blob = await pipelines.Peer.ExecuteAsync(async ct => await ReadAsync(client, request, source, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return (SnapshotBlob.Unpack(blob, $"state of step {request.Step} from rank {source.Rank} ({source.CollectiveEndpoint})"), blob.LongLength);
    }

    private static async Task<byte[]> ReadAsync(Protos.V1.Collective.CollectiveClient client, StateRequest request, Peer source, CancellationToken cancellationToken)
    {
        using var call = client.FetchState(request, cancellationToken: cancellationToken);
        byte[]? blob = null;
        long received = 0;
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var chunk = call.ResponseStream.Current;
            if (chunk.TotalBytes is < 0 or > MaxStateBytes)
                throw new InvalidDataException($"rank {source.Rank} announced a state of {chunk.TotalBytes} bytes (limit {MaxStateBytes})");
            blob ??= new byte[chunk.TotalBytes];
            if (chunk.TotalBytes != blob.Length || chunk.Offset != received || chunk.Offset + chunk.Data.Length > blob.Length)
                throw new InvalidDataException($"rank {source.Rank} sent a state chunk at {chunk.Offset}+{chunk.Data.Length} of {chunk.TotalBytes}; expected offset {received} of {blob.Length}");
            chunk.Data.Span.CopyTo(blob.AsSpan((int)chunk.Offset));
            received += chunk.Data.Length;
        }
        if (blob is null || received != blob.Length)
            throw new RpcException(new Status(StatusCode.Unavailable, $"the state stream from rank {source.Rank} ended after {received} bytes"));
        return blob;
    }
}

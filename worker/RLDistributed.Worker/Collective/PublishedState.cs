using Grpc.Core;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The state this worker serves through FetchState: published by the generation's state source (rank 0)
/// before it trains, for the step the generation starts at. Requests for another run, generation or step are
/// refused; a request that comes before publication gets Unavailable, which the fetcher retries.
/// </summary>
public sealed class PublishedState
{
    private volatile Published? _current;

    /// <summary>Serves <paramref name="blob"/> as the state of <paramref name="step"/> in <paramref name="generation"/>.</summary>
    public void Publish(string runId, long generation, long step, byte[] blob) => _current = new Published(runId, generation, step, blob);

    /// <summary>Stops serving (the generation is over).</summary>
    public void Clear() => _current = null;

    /// <summary>The blob for a request, or an RpcException saying why not.</summary>
    public byte[] For(string runId, long generation, long step)
    {
        var current = _current;
        if (current is null || current.Generation < generation)
            throw new RpcException(new Status(StatusCode.Unavailable, $"the state of generation {generation} is not published yet"));
        if (current.RunId != runId) throw new RpcException(new Status(StatusCode.FailedPrecondition, $"this worker serves run '{current.RunId}', not '{runId}'"));
        if (current.Generation != generation) throw new RpcException(new Status(StatusCode.FailedPrecondition, $"stale generation {generation}; the current generation is {current.Generation}"));
        if (current.Step != step) throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the published state is of step {current.Step}, not {step}"));
        return current.Blob;
    }

    private sealed record Published(string RunId, long Generation, long Step, byte[] Blob);
}

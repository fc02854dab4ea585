using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.Retry;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// The worker's side of the control plane. Every call goes through a Polly pipeline: join retries while the
/// coordinator is unreachable (it may be starting, or restarting) up to the connect timeout; reports,
/// commits and leaves retry transient failures behind a circuit breaker; a heartbeat is one attempt with a
/// deadline, because the next beat follows in a second.
/// </summary>
public sealed class CoordinatorLink : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Coordinator.CoordinatorClient _client;
    private readonly TimeProvider _time;
    private readonly ResiliencePipelines _pipelines;
    private readonly ResilienceOptions _resilience;

    /// <summary>Connects (lazily) to the coordinator at <paramref name="address"/> (http(s)://host:port), with the run's token and TLS.</summary>
    public CoordinatorLink(Uri address, TimeProvider time, ResilienceOptions? resilience = null, RunSecurity? security = null)
    {
        var handler = (security ?? RunSecurity.None).CreateHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        // A call cancelled by our own token throws OperationCanceledException, not RpcException(Cancelled): every loop
        // here treats that as its stop, and Polly's attempt timeout turns only that into TimeoutRejectedException (retried).
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, ThrowOperationCanceledOnCancellation = true });
        _client = new Coordinator.CoordinatorClient(_channel);
        _time = time;
        _resilience = resilience ?? new ResilienceOptions();
        _pipelines = new ResiliencePipelines(_resilience, time);
        Address = address;
    }

    /// <summary>The coordinator's address.</summary>
    public Uri Address { get; }

    /// <summary>The pipelines, for peer calls made on this worker's behalf.</summary>
    public ResiliencePipelines Pipelines => _pipelines;

    /// <summary>
    /// Joins, retrying Unavailable with back-off until <paramref name="connectTimeout"/> has passed; the call
    /// itself may then wait as long as the rendezvous takes.
    /// </summary>
    /// <exception cref="CoordinatorUnreachableException">no coordinator answered within the timeout.</exception>
    /// <exception cref="NotACoordinatorException">something other than an rld coordinator answered.</exception>
    public async Task<Assignment> JoinAsync(JoinRequest request, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + connectTimeout;
        var untilDeadline = new ResiliencePipelineBuilder { TimeProvider = _time }.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(1),
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode == StatusCode.Unavailable && _time.GetUtcNow() < deadline),
        }).Build();
        try
        {
            return await untilDeadline.ExecuteAsync(async ct => await _client.JoinAsync(request, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            throw new CoordinatorUnreachableException(Address, connectTimeout, e.Status.Detail);
        }
        catch (RpcException e) when (NotACoordinatorException.Describes(e))
        {
            throw new NotACoordinatorException(Address, e.StatusCode, e.Status.Detail);
        }
    }

    /// <summary>Sends step reports, in step order, in one call (retried); the reply says stop or reform.</summary>
    public async Task<StepAck> ReportAsync(IReadOnlyList<StepReport> reports, CancellationToken cancellationToken)
    {
        var batch = new StepReports();
        batch.Reports.AddRange(reports);
        return await _pipelines.Coordinator.ExecuteAsync(async ct => await _client.ReportStepsAsync(batch, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One heartbeat, one attempt.</summary>
    public async Task<HeartbeatReply> HeartbeatAsync(HeartbeatRequest beat, CancellationToken cancellationToken) =>
        await _client.HeartbeatAsync(beat, deadline: _time.GetUtcNow().UtcDateTime + _resilience.AttemptTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Reports a durable checkpoint (retried).</summary>
    public async Task CommitAsync(CheckpointCommit commit, CancellationToken cancellationToken) =>
        await _pipelines.Coordinator.ExecuteAsync(async ct => await _client.CommitCheckpointAsync(commit, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Leaves the run (completed or with an error), retried.</summary>
    public async Task LeaveAsync(LeaveRequest request, CancellationToken cancellationToken) =>
        await _pipelines.Coordinator.ExecuteAsync(async ct => await _client.LeaveAsync(request, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }
}

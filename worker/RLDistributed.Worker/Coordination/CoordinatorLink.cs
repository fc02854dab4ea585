using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// The worker's side of the control plane: join (waits through the rendezvous, retrying while the
/// coordinator is not up yet), heartbeats on their own task, step reports, leave.
/// </summary>
public sealed class CoordinatorLink : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Coordinator.CoordinatorClient _client;
    private readonly TimeProvider _time;

    /// <summary>Connects (lazily) to the coordinator at <paramref name="address"/> (http://host:port).</summary>
    public CoordinatorLink(Uri address, TimeProvider time)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        _client = new Coordinator.CoordinatorClient(_channel);
        _time = time;
        Address = address;
    }

    /// <summary>The coordinator's address.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Joins, retrying Unavailable (the coordinator may still be starting) until <paramref name="connectTimeout"/>;
    /// the call itself may then wait as long as the rendezvous takes.
    /// </summary>
    /// <exception cref="CoordinatorUnreachableException">no coordinator answered within the timeout.</exception>
    public async Task<Assignment> JoinAsync(JoinRequest request, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + connectTimeout;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await _client.JoinAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                if (_time.GetUtcNow() + delay > deadline)
                    throw new CoordinatorUnreachableException(Address, connectTimeout, e.Status.Detail);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    /// <summary>Sends a step report; returns whether the coordinator asks the run to stop.</summary>
    public async Task<bool> ReportAsync(StepReport report, CancellationToken cancellationToken) =>
        (await _client.ReportStepAsync(report, cancellationToken: cancellationToken).ConfigureAwait(false)).Stop;

    /// <summary>One heartbeat; returns whether the coordinator asks the run to stop.</summary>
    public async Task<bool> HeartbeatAsync(HeartbeatRequest beat, CancellationToken cancellationToken) =>
        (await _client.HeartbeatAsync(beat, deadline: _time.GetUtcNow().UtcDateTime.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false)).Stop;

    /// <summary>Leaves the run (completed or with an error).</summary>
    public async Task LeaveAsync(LeaveRequest request, CancellationToken cancellationToken) =>
        await _client.LeaveAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }
}

using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Sends step reports without holding up training: one call travels while the next steps compute, and the
/// reports of steps done meanwhile wait and go together in the next call, at most one call per
/// <paramref name="interval"/>. So the coordinator's load follows the call rate, not the step rate, and every step
/// reaches it (a slow or restarting coordinator loses reports only beyond <paramref name="maxPending"/>, oldest first).
/// The generation's drain sends what is left, so that the coordinator always hears of the last step. The replies
/// carry the coordinator's stop and reform requests.
/// </summary>
/// <param name="send">Sends reports in one call and returns the coordinator's reply (retried by the caller's pipeline).</param>
/// <param name="time">The clock of the interval.</param>
/// <param name="interval">The shortest time between the starts of two calls (zero: as soon as the previous is answered).</param>
/// <param name="maxPending">Reports kept while a call is in flight or the interval runs; older ones beyond it are dropped.</param>
public sealed class StepReporter(Func<IReadOnlyList<StepReport>, CancellationToken, Task<StepAck>> send, TimeProvider time, TimeSpan interval, int maxPending = 256)
{
    private readonly Queue<StepReport> _pending = new();
    private Task<StepAck>? _inFlight;
    private long _lastSentAt;
    private bool _sentAny;
    private CancellationToken _pendingToken;

    /// <summary>Reports dropped because more than the pending limit waited.</summary>
    public long Dropped { get; private set; }

    /// <summary>Calls made.</summary>
    public long Calls { get; private set; }

    /// <summary>
    /// Queues <paramref name="report"/> and sends the queue when no call is in flight and the interval has passed;
    /// returns the reply of a call answered since the last time, if any.
    /// </summary>
    public StepAck? Send(StepReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        StepAck? answered = null;
        if (_inFlight is { IsCompleted: true } done)
        {
            answered = Outcome(done);
            _inFlight = null;
        }
        _pending.Enqueue(report);
        _pendingToken = cancellationToken;
        while (_pending.Count > maxPending)
        {
            _pending.Dequeue();
            Dropped++;
        }
        if (_inFlight is null && (!_sentAny || time.GetElapsedTime(_lastSentAt) >= interval)) SendPending();
        return answered;
    }

    /// <summary>Waits for the call in flight, then sends what is still queued (at the end of a generation); returns the last reply it got.</summary>
    public async Task<StepAck?> DrainAsync()
    {
        var answered = await AwaitInFlightAsync().ConfigureAwait(false);
        if (_pending.Count > 0)
        {
            SendPending();
            answered = await AwaitInFlightAsync().ConfigureAwait(false) ?? answered;
        }
        return answered;
    }

    private void SendPending()
    {
        var reports = _pending.ToArray();
        _pending.Clear();
        _lastSentAt = time.GetTimestamp();
        _sentAny = true;
        Calls++;
        _inFlight = send(reports, _pendingToken);
    }

    private async Task<StepAck?> AwaitInFlightAsync()
    {
        if (_inFlight is null) return null;
        try
        {
            await _inFlight.ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnanswered(e))
        {
        }
        var outcome = Outcome(_inFlight);
        _inFlight = null;
        return outcome;
    }

    private static StepAck? Outcome(Task<StepAck> report) => report.IsCompletedSuccessfully ? report.Result : null;

    private static bool IsUnanswered(Exception e) => e is RpcException or BrokenCircuitException or TimeoutRejectedException or OperationCanceledException;
}

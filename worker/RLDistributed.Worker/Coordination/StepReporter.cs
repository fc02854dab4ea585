using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Sends step reports without holding up training: one report travels while the next step computes, and
/// while the coordinator is unreachable (restarting) reports are dropped rather than queued. The replies
/// carry the coordinator's stop and reform requests.
/// </summary>
public sealed class StepReporter(CoordinatorLink link)
{
    private Task<StepAck>? _inFlight;

    /// <summary>Reports dropped because the previous one had not been answered.</summary>
    public long Dropped { get; private set; }

    /// <summary>Sends <paramref name="report"/> unless one is still in flight; returns the last answered reply, if any.</summary>
    public StepAck? Send(StepReport report, CancellationToken cancellationToken)
    {
        StepAck? answered = null;
        if (_inFlight is { IsCompleted: true } done)
        {
            answered = Outcome(done);
            _inFlight = null;
        }
        if (_inFlight is null) _inFlight = link.ReportAsync(report, cancellationToken);
        else Dropped++;
        return answered;
    }

    /// <summary>Waits for the report in flight (at the end of a generation); returns its reply, if it got one.</summary>
    public async Task<StepAck?> DrainAsync()
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

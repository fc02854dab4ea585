using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Sends step reports without holding up training: one report travels while the next step computes, and
/// while the coordinator is slow or unreachable (restarting) the reports in between are skipped rather than
/// queued. The newest skipped report is kept and sent when the generation drains, so that the coordinator
/// always hears of the last step (without it a run ended by a dropped report would be combined up to an
/// earlier step). The replies carry the coordinator's stop and reform requests.
/// </summary>
/// <param name="send">Sends one report and returns the coordinator's reply (retried by the caller's pipeline).</param>
public sealed class StepReporter(Func<StepReport, CancellationToken, Task<StepAck>> send)
{
    private Task<StepAck>? _inFlight;
    private StepReport? _skipped;
    private CancellationToken _skippedToken;

    /// <summary>Reports skipped because the previous one had not been answered.</summary>
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
        if (_inFlight is null)
        {
            _inFlight = send(report, cancellationToken);
            _skipped = null;
        }
        else
        {
            Dropped++;
            _skipped = report;
            _skippedToken = cancellationToken;
        }
        return answered;
    }

    /// <summary>
    /// Waits for the report in flight, then sends the newest skipped one, if any (at the end of a generation);
    /// returns the last reply it got.
    /// </summary>
    public async Task<StepAck?> DrainAsync()
    {
        var answered = await AwaitInFlightAsync().ConfigureAwait(false);
        if (_skipped is { } last)
        {
            _skipped = null;
            _inFlight = send(last, _skippedToken);
            answered = await AwaitInFlightAsync().ConfigureAwait(false) ?? answered;
        }
        return answered;
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

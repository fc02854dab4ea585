using Microsoft.Extensions.Logging;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// Reports a collective that runs past its deadline (a hang: a neighbour that neither sends nor fails) with the
/// rank and the collective's sequence number, once per collective: a log error and <c>rld.collective.stuck</c>.
/// It only reports; the heartbeat and the coordinator decide whether the ring re-forms.
/// </summary>
public sealed class CollectiveWatchdog(TimeSpan deadline, TimeProvider time, ILogger logger)
{
    /// <summary>The deadline after which a collective is reported.</summary>
    public TimeSpan Deadline => deadline;

    /// <summary>Starts watching collective <paramref name="sequence"/> of <paramref name="rank"/>; dispose when it ends.</summary>
    public IDisposable Watch(string runId, long generation, int rank, long sequence) =>
        time.CreateTimer(_ =>
        {
            WorkerTelemetry.CollectiveStuck.Add(1, new KeyValuePair<string, object?>("rank", rank));
            WorkerLog.CollectiveStuck(logger, runId, rank, generation, sequence, deadline.TotalSeconds);
        }, null, deadline, Timeout.InfiniteTimeSpan);
}

using System.Diagnostics;
using RLDistributed.Core.Energy;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// The gradient all-reduce with its <c>allreduce</c> span (bytes, buckets, algbw, busbw and the collective's
/// sequence number), its metrics, and the watchdog that reports it when it runs past its deadline.
/// busbw follows nccl-tests: the bytes a rank sends, 2(N−1)/N of the payload, over the time; algbw is the payload
/// over the time.
/// </summary>
public sealed class ObservedGradientReducer(IGradientReducer inner, CollectiveWatchdog watchdog, string runId, long generation, int rank, int worldSize) : IGradientReducer
{
    private long _sequence;

    /// <inheritdoc />
    public async Task<long> ReduceAsync(EnergyNetwork energy, CancellationToken cancellationToken)
    {
        var sequence = _sequence++;
        using var span = WorkerTelemetry.Source.StartActivity("allreduce");
        using var watch = watchdog.Watch(runId, generation, rank, sequence);
        var clock = Stopwatch.StartNew();
        var bytes = await inner.ReduceAsync(energy, cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var payload = worldSize > 1 ? bytes * worldSize / (2L * (worldSize - 1)) : 0;
        var busbw = seconds > 0 ? bytes / seconds : 0;
        var tag = new KeyValuePair<string, object?>("rank", rank);
        WorkerTelemetry.AllReduceDuration.Record(seconds, tag);
        WorkerTelemetry.AllReduceBusBandwidth.Record(busbw, tag);
        if (span is not null)
        {
            span.SetTag("rld.allreduce.sequence", sequence);
            span.SetTag("rld.allreduce.bytes", payload);
            span.SetTag("rld.allreduce.bytes_sent", bytes);
            span.SetTag("rld.allreduce.buckets", (inner as RingGradientReducer)?.BucketCount ?? 0);
            span.SetTag("rld.allreduce.algbw", seconds > 0 ? payload / seconds : 0);
            span.SetTag("rld.allreduce.busbw", busbw);
            span.SetTag("rld.world_size", worldSize);
        }
        return bytes;
    }
}

using System.Diagnostics;
using RLDistributed.Core.Energy;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// The gradient all-reduce with its <c>allreduce</c> span (bytes, buckets, algbw, busbw and the collective's
/// sequence number), its metrics, and the watchdog that reports it when it runs past its deadline.
/// busbw follows nccl-tests: the bytes a rank sends, 2(N−1)/N of the payload, over the time; algbw is the payload
/// over the time. An overlapped all-reduce is recorded when it completes, its span starting when its first bucket
/// went to the ring; its time is the ring's own (hidden or not), and the part hidden behind the backward is a tag.
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
        Record(span, sequence, bytes, clock.Elapsed.TotalSeconds, (inner as RingGradientReducer)?.BucketCount ?? 0);
        return bytes;
    }

    /// <inheritdoc />
    public IOverlappedReduction? BeginOverlapped(CancellationToken cancellationToken) =>
        inner.BeginOverlapped(cancellationToken) is { } reduction ? new Observed(this, reduction, _sequence++) : null;

    private async Task<AllReduceOverlap> CompleteAsync(IOverlappedReduction reduction, long sequence)
    {
        AllReduceOverlap overlap;
        using (watchdog.Watch(runId, generation, rank, sequence))
            overlap = await reduction.CompleteAsync().ConfigureAwait(false);
        using var span = WorkerTelemetry.Source.StartActivity("allreduce", ActivityKind.Internal, parentContext: default, startTime: overlap.Started);
        Record(span, sequence, overlap.BytesSent, overlap.CommunicationSeconds, overlap.Buckets);
        span?.SetTag("rld.allreduce.overlapped", true);
        span?.SetTag("rld.allreduce.hidden_seconds", overlap.HiddenSeconds);
        return overlap;
    }

    private void Record(Activity? span, long sequence, long bytes, double seconds, int buckets)
    {
        var payload = worldSize > 1 ? bytes * worldSize / (2L * (worldSize - 1)) : 0;
        var busbw = seconds > 0 ? bytes / seconds : 0;
        var tag = new KeyValuePair<string, object?>("rank", rank);
        WorkerTelemetry.AllReduceDuration.Record(seconds, tag);
        WorkerTelemetry.AllReduceBusBandwidth.Record(busbw, tag);
        if (span is null) return;
        span.SetTag("rld.allreduce.sequence", sequence);
        span.SetTag("rld.allreduce.bytes", payload);
        span.SetTag("rld.allreduce.bytes_sent", bytes);
        span.SetTag("rld.allreduce.buckets", buckets);
        span.SetTag("rld.allreduce.algbw", seconds > 0 ? payload / seconds : 0);
        span.SetTag("rld.allreduce.busbw", busbw);
        span.SetTag("rld.world_size", worldSize);
    }

    /// <summary>An overlapped reduction whose completion is observed like a plain one.</summary>
    private sealed class Observed(ObservedGradientReducer owner, IOverlappedReduction inner, long sequence) : IOverlappedReduction
    {
        public void OnGradient(int parameter, TorchSharp.torch.Tensor gradient) => inner.OnGradient(parameter, gradient);

        public Task<AllReduceOverlap> CompleteAsync() => owner.CompleteAsync(inner, sequence);

        public Task AbandonAsync() => inner.AbandonAsync();
    }
}

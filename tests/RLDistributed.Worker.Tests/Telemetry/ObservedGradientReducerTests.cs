using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using RLDistributed.Core.Energy;
using RLDistributed.Worker.Telemetry;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Tests.Telemetry;

public sealed class ObservedGradientReducerTests
{
    /// <summary>Moves a fixed number of bytes, as a ring of <c>worldSize</c> would for a 1 MiB payload.</summary>
    private sealed class FixedReducer(long bytes) : IGradientReducer
    {
        public async Task<long> ReduceAsync(EnergyNetwork energy, CancellationToken cancellationToken)
        {
            await Task.Delay(5, cancellationToken);
            return bytes;
        }

        public IOverlappedReduction? BeginOverlapped(CancellationToken cancellationToken) => null;
    }

    /// <summary>An overlapped reduction that reports fixed figures: 3 buckets, 4 ms on the ring, 3 ms of it hidden.</summary>
    private sealed class FixedOverlap(AllReduceOverlap result) : IGradientReducer, IOverlappedReduction
    {
        public Task<long> ReduceAsync(EnergyNetwork energy, CancellationToken cancellationToken) => throw new InvalidOperationException("overlapped only");

        public IOverlappedReduction? BeginOverlapped(CancellationToken cancellationToken) => this;

        public void OnGradient(int parameter, TorchSharp.torch.Tensor gradient)
        {
        }

        public Task<AllReduceOverlap> CompleteAsync() => Task.FromResult(result);

        public Task AbandonAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task ReduceAsync_WithAListener_RecordsAnAllReduceSpanWithPayloadBusbwAndSequence()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        const long payload = 1 << 20;
        var sent = 2 * (4 - 1) * payload / 4; // what one rank of 4 sends
        var reducer = new ObservedGradientReducer(new FixedReducer(sent), new CollectiveWatchdog(TimeSpan.FromMinutes(1), new FakeTimeProvider(), new RecordingLogger()), "run-a", 1, 2, 4);

        Assert.Equal(sent, await reducer.ReduceAsync(null!, CancellationToken.None));
        Assert.Equal(sent, await reducer.ReduceAsync(null!, CancellationToken.None));

        List<Activity> reduces;
        lock (spans) reduces = spans.Where(s => s.OperationName == "allreduce").ToList();
        Assert.Equal(2, reduces.Count);
        Assert.Equal([0L, 1L], reduces.Select(s => (long)s.GetTagItem("rld.allreduce.sequence")!));
        var first = reduces[0];
        Assert.Equal(payload, (long)first.GetTagItem("rld.allreduce.bytes")!);
        Assert.Equal(sent, (long)first.GetTagItem("rld.allreduce.bytes_sent")!);
        var algbw = (double)first.GetTagItem("rld.allreduce.algbw")!;
        var busbw = (double)first.GetTagItem("rld.allreduce.busbw")!;
        Assert.Equal(algbw * 2 * 3 / 4, busbw, busbw * 1e-9);
    }

    [Fact]
    public async Task BeginOverlapped_Completed_RecordsASpanFromTheFirstBucketWithTheHiddenTime()
    {
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        var started = DateTimeOffset.UtcNow.AddMilliseconds(-50);
        var overlap = new AllReduceOverlap(BytesSent: 3 << 20, Buckets: 3, BucketsReadyDuringBackward: 2, CommunicationSeconds: 0.004, HiddenSeconds: 0.003, WindowSeconds: 0.005, started);
        var reducer = new ObservedGradientReducer(new FixedOverlap(overlap), new CollectiveWatchdog(TimeSpan.FromMinutes(1), new FakeTimeProvider(), new RecordingLogger()), "run-a", 1, 0, 4);

        var reduction = reducer.BeginOverlapped(CancellationToken.None)!;
        Assert.Same(overlap, await reduction.CompleteAsync());

        Activity span;
        lock (spans) span = Assert.Single(spans, s => s.OperationName == "allreduce");
        Assert.Equal(started.UtcDateTime, span.StartTimeUtc);
        Assert.Equal(true, span.GetTagItem("rld.allreduce.overlapped"));
        Assert.Equal(0.003, (double)span.GetTagItem("rld.allreduce.hidden_seconds")!);
        Assert.Equal(3, (int)span.GetTagItem("rld.allreduce.buckets")!);
        Assert.Equal((long)(3 << 20), (long)span.GetTagItem("rld.allreduce.bytes_sent")!);
    }

    [Fact]
    public async Task ReduceAsync_WithoutAListener_StillReducesAndReturnsTheBytes()
    {
        var reducer = new ObservedGradientReducer(new FixedReducer(42), new CollectiveWatchdog(TimeSpan.FromMinutes(1), new FakeTimeProvider(), new RecordingLogger()), "run-a", 1, 0, 2);
        Assert.Equal(42, await reducer.ReduceAsync(null!, CancellationToken.None));
    }

    /// <summary>Collects the worker's finished spans into <paramref name="spans"/> until disposed.</summary>
    private static ActivityListener Listen(List<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}

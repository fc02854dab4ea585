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
    }

    [Fact]
    public async Task ReduceAsync_WithAListener_RecordsAnAllReduceSpanWithPayloadBusbwAndSequence()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
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
    public async Task ReduceAsync_WithoutAListener_StillReducesAndReturnsTheBytes()
    {
        var reducer = new ObservedGradientReducer(new FixedReducer(42), new CollectiveWatchdog(TimeSpan.FromMinutes(1), new FakeTimeProvider(), new RecordingLogger()), "run-a", 1, 0, 2);
        Assert.Equal(42, await reducer.ReduceAsync(null!, CancellationToken.None));
    }
}

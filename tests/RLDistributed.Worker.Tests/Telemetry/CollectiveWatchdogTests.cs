using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RLDistributed.Worker.Telemetry;

namespace RLDistributed.Worker.Tests.Telemetry;

public sealed class CollectiveWatchdogTests
{
    [Fact]
    public void Watch_CollectivePastItsDeadline_IsReportedOnceWithRankAndSequence()
    {
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var watchdog = new CollectiveWatchdog(TimeSpan.FromSeconds(30), time, logger);

        using var watch = watchdog.Watch("run-a", generation: 2, rank: 1, sequence: 17);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(logger.Entries);
        time.Advance(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(60));

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(1, entry.Properties["Rank"]);
        Assert.Equal(17L, entry.Properties["Sequence"]);
        Assert.Equal(2L, entry.Properties["Generation"]);
        Assert.Contains("collective 17", entry.Message);
    }

    [Fact]
    public void Watch_CollectiveThatEndsInTime_IsNeverReported()
    {
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var watchdog = new CollectiveWatchdog(TimeSpan.FromSeconds(30), time, logger);

        var watch = watchdog.Watch("run-a", generation: 1, rank: 0, sequence: 3);
        time.Advance(TimeSpan.FromSeconds(10));
        watch.Dispose();
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(logger.Entries);
    }
}

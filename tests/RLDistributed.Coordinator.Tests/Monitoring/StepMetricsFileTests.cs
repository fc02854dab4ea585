using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RLDistributed.Hosting.Telemetry;

namespace RLDistributed.Coordinator.Tests.Monitoring;

/// <summary>A run's metrics.jsonl on real files: the lines, and what it keeps when steps come again.</summary>
public sealed class StepMetricsFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rld-metrics-").FullName;
    private readonly FakeTimeProvider _time = new();

    private string FilePath => Path.Combine(_directory, StepMetricsFile.FileName);

    [Fact]
    public void Append_ALinePerStep_StepLossGapsAndSecondsSinceTheStart()
    {
        using (var file = Open())
        {
            for (var step = 1; step <= 3; step++)
            {
                _time.Advance(TimeSpan.FromSeconds(2));
                file.Append(step, 0.1 * step, [0.5 * step, null]);
            }
        }

        var lines = Lines();
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l.GetProperty("step").GetInt64()));
        Assert.Equal(0.2, lines[1].GetProperty("loss").GetDouble(), 12);
        Assert.Equal(1.0, lines[1].GetProperty("energyGap")[0].GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("energyGap")[1].ValueKind);
        Assert.Equal([2.0, 4.0, 6.0], lines.Select(l => l.GetProperty("seconds").GetDouble()));
    }

    [Fact]
    public void StepComesAgain_ThatStepAndEveryLaterLineAreReplaced()
    {
        using var file = Open();
        for (var step = 1; step <= 5; step++) file.Append(step, step, []);

        // The run went back to a checkpoint after step 2: steps 3.. are done again.
        file.Append(3, 30, []);
        file.Append(4, 40, []);

        var lines = Lines();
        Assert.Equal([1L, 2L, 3L, 4L], lines.Select(l => l.GetProperty("step").GetInt64()));
        Assert.Equal([1.0, 2.0, 30.0, 40.0], lines.Select(l => l.GetProperty("loss").GetDouble()));
    }

    [Fact]
    public void ReopenedByARestartedCoordinator_LaterStepsAreAppended_AnOldRunsFileIsReplacedFromItsFirstStep()
    {
        using (var first = Open())
            for (var step = 1; step <= 4; step++) first.Append(step, step, []);

        using (var restarted = Open()) restarted.Append(5, 5, []);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], Lines().Select(l => l.GetProperty("step").GetInt64()));

        using (var newRun = Open()) newRun.Append(1, 100, []);
        var only = Assert.Single(Lines());
        Assert.Equal(100, only.GetProperty("loss").GetDouble());
    }

    [Fact]
    public void TornLastLine_IsDroppedOnOpening()
    {
        File.WriteAllText(FilePath, """
            {"step":1,"loss":0.5,"energyGap":[],"seconds":1}
            {"step":2,"loss":0.4,"energyGap":[],"seconds":2}
            {"step":3,"lo
            """);

        using (var file = Open()) file.Append(3, 0.3, []);

        Assert.Equal([1L, 2L, 3L], Lines().Select(l => l.GetProperty("step").GetInt64()));
    }

    [Fact]
    public void DivergedLoss_IsWrittenAsNaN_NotRefused()
    {
        using (var file = Open()) file.Append(1, double.NaN, [null]);

        Assert.Equal("NaN", Assert.Single(Lines()).GetProperty("loss").GetString());
    }

    [Fact]
    public void UnwritableDirectory_TheRunGoesOnWithoutTheFile()
    {
        var notADirectory = Path.Combine(_directory, "plain-file");
        File.WriteAllText(notADirectory, "");

        var failures = new List<string>();
        using var file = new StepMetricsFile(notADirectory, _time, failures.Add);
        file.Append(1, 0.5, []);
        file.Append(2, 0.5, []);

        Assert.Equal("", File.ReadAllText(notADirectory));
        Assert.Contains(notADirectory, Assert.Single(failures));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StepMetricsFile Open() => new(_directory, _time, reason => throw new Xunit.Sdk.XunitException($"unexpected failure: {reason}"));

    private List<JsonElement> Lines() =>
        [.. File.ReadAllLines(FilePath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}

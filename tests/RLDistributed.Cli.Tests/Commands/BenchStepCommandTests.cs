using System.Text.Json;
using RLDistributed.Cli.Commands;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary><c>rld bench step</c> as a real process: what its JSON line and its table say about the iterations it timed.</summary>
public sealed class BenchStepCommandTests
{
    [Fact]
    public async Task Json_NamesTheDeviceAndThreads_AndItsFiguresComeFromTheTimedIterations()
    {
        var run = await RldProcess.RunAsync("bench", "step", "--preset", "toy2d", "--batch", "64", "--warmup", "1", "--repeats", "5", "--threads", "1", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        var result = JsonSerializer.Deserialize<StepBenchResult>(run.Output.Trim())!;
        Assert.Equal("cpu", result.Device);
        Assert.Equal(1, result.Threads);
        Assert.Equal(64, result.Batch);
        Assert.Equal(5, result.Iterations);
        var timed = result.Milliseconds!;
        Assert.Equal(5, timed.Length);
        Assert.All(timed, ms => Assert.True(ms > 0));
        Assert.Equal(timed.Min(), result.MinMs);
        Assert.Equal(timed.Max(), result.MaxMs);
        Assert.Equal(timed.Order().ElementAt(2), result.MedianMs);
    }

    [Fact]
    public async Task Table_HasTheDeviceColumn()
    {
        var run = await RldProcess.RunAsync("bench", "step", "--preset", "toy2d", "--batch", "64", "--warmup", "0", "--repeats", "1", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Output.Split('\n');
        var header = Assert.Single(lines, l => l.Contains("preset"));
        Assert.Equal(["preset", "device", "batch", "threads"], Cells(header).Take(4));
        var row = Assert.Single(lines, l => l.Contains("toy2d"));
        Assert.Equal(["toy2d", "cpu", "64", "1"], Cells(row).Take(4));
    }

    private static IEnumerable<string> Cells(string tableLine) =>
        tableLine.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(c => c.Length > 0);
}

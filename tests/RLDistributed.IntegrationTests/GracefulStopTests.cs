using System.Diagnostics;

namespace RLDistributed.IntegrationTests;

/// <summary>A worker stopped by SIGTERM tells the coordinator, which ends the run at once with the reason.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Worker_Sigterm_RunEndsPromptlyWithTheReason()
    {
        using var run = new RunDirectory();
        var spec = new RLDistributed.Core.Presets.RunSpec
        {
            Preset = RLDistributed.Core.Presets.TrainingPresets.Get("toy2d") with
            {
                Training = RLDistributed.Core.Presets.TrainingPresets.Get("toy2d").Training with { Steps = 1_000_000, GlobalBatch = 32 },
            },
            ThreadsPerWorker = 1,
        };
        await File.WriteAllTextAsync(run.Sub("run.json"), spec.ToJson());

        var url = "";
        using var coordinator = RldProcess.Start("coordinator", null, "coordinator", "--run-id", "stop", "--workers", "2", "--min-workers", "2", "--spec", run.Sub("run.json"), "--out", run.Path);
        var address = await coordinator.WaitForLineAsync("coordinator listening on ", TimeSpan.FromSeconds(60));
        url = address[address.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0];
        using var first = RldProcess.Start("worker-0", null, "worker", "--coordinator", url, "--run-id", "stop", "--threads", "1");
        using var second = RldProcess.Start("worker-1", null, "worker", "--coordinator", url, "--run-id", "stop", "--threads", "1");
        await coordinator.WaitForLineAsync("step 50:", TimeSpan.FromSeconds(60)); // well into the training loop

        var clock = Stopwatch.StartNew();
        second.Terminate();
        var ended = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(30)) & await first.WaitForExitAsync(TimeSpan.FromSeconds(30)) & await second.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ended, $"not every process ended:\n{coordinator.Output}\n{first.Output}");
        Assert.NotEqual(0, coordinator.ExitCode);
        Assert.NotEqual(0, first.ExitCode);
        Assert.NotEqual(0, second.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the run took {clock.Elapsed} to end");
        Assert.Contains(coordinator.Lines(), l => l.Contains("the worker was stopped (SIGTERM or Ctrl-C)", StringComparison.Ordinal));
    }
}

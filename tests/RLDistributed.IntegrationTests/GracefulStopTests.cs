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

        var processes = new List<Process>();
        try
        {
            var coordinator = Start(processes, "coordinator", "--run-id", "stop", "--workers", "2", "--min-workers", "2", "--spec", run.Sub("run.json"), "--out", run.Path);
            var address = await WaitForLineAsync(coordinator, "coordinator listening on ", TimeSpan.FromSeconds(60));
            var url = address[address.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0];
            var first = Start(processes, "worker", "--coordinator", url, "--run-id", "stop", "--threads", "1");
            var second = Start(processes, "worker", "--coordinator", url, "--run-id", "stop", "--threads", "1");
            await WaitForLineAsync(coordinator, "step 50:", TimeSpan.FromSeconds(60)); // well into the training loop

            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", second.Id.ToString()])) await kill!.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Task.WhenAll(coordinator.WaitForExitAsync(deadline.Token), first.WaitForExitAsync(deadline.Token), second.WaitForExitAsync(deadline.Token));

            Assert.NotEqual(0, coordinator.ExitCode);
            Assert.NotEqual(0, first.ExitCode);
            Assert.NotEqual(0, second.ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the run took {clock.Elapsed} to end");
            Assert.Contains(Lines(coordinator), l => l.Contains("the worker was stopped (SIGTERM or Ctrl-C)", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    private static readonly Dictionary<int, List<string>> Output = [];

    private static List<string> Lines(Process process)
    {
        lock (Output) return Output.TryGetValue(process.Id, out var lines) ? [.. lines] : [];
    }

    private static Process Start(List<Process> started, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rld.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(process, e.Data);
        process.ErrorDataReceived += (_, e) => Record(process, e.Data);
        process.Start();
        started.Add(process);
        lock (Output) Output[process.Id] = [];
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Record(Process process, string? line)
    {
        if (line is null) return;
        lock (Output)
        {
            if (Output.TryGetValue(process.Id, out var lines)) lines.Add(line);
        }
    }

    private static async Task<string> WaitForLineAsync(Process process, string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var line = Lines(process).Find(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            if (process.HasExited) throw new InvalidOperationException($"process exited before printing '{text}': {string.Join('\n', Lines(process))}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"no line with '{text}' within {timeout}");
    }
}

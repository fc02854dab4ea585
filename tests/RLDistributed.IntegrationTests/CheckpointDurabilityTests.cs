using System.Security.Cryptography;
using RLDistributed.Core.Checkpoints;
using static TorchSharp.torch;

namespace RLDistributed.IntegrationTests;

/// <summary>Checkpoints under crashes, and resuming a distributed run at the same and at another world size.</summary>
public sealed class CheckpointDurabilityTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KilledAtRandomMoments_20Times_AValidCheckpointIsAlwaysFoundAndLoads()
    {
        using var run = new RunDirectory();
        var output = run.Sub("out");
        var checkpoints = Path.Combine(output, "checkpoints");
        var random = new Random(20261129);
        var lastStep = 0L;
        var interruptedSaves = 0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            string[] args = attempt == 0
                ? ["train", "--preset", "toy2d", "--batch", "256", "--steps", "1000000", "--checkpoint-every", "1", "--keep-checkpoints", "2", "--threads", "1", "--out", output]
                : ["train", "--resume", checkpoints, "--threads", "1"];
            var latest = Path.Combine(checkpoints, CheckpointFiles.Latest);
            var before = File.Exists(latest) ? File.ReadAllText(latest) : "";
            using (var trainer = RldProcess.Start($"train-{attempt}", null, args))
            {
                // Kill only once this process is saving checkpoints of its own: somewhere in its save loop.
                await WaitForAsync(() => File.Exists(latest) && ReadOrEmpty(latest) is { Length: > 0 } now && now != before, trainer);
                await Task.Delay(random.Next(100, 1200));
                Assert.False(trainer.HasExited, trainer.Output);
                trainer.KillHard();
            }
            interruptedSaves += Directory.GetDirectories(checkpoints, "*" + CheckpointFiles.TemporarySuffix).Length;

            var search = new CheckpointStore(checkpoints).FindLatestValid();
            Assert.True(search.Found is not null, $"attempt {attempt}: no valid checkpoint; skipped: {string.Join("; ", search.Skipped.Select(s => s.Message))}");
            Assert.True(search.Found.State.NextStep >= lastStep, $"attempt {attempt}: went back from step {lastStep} to {search.Found.State.NextStep}");
            lastStep = search.Found.State.NextStep;
            using var scope = NewDisposeScope();
            _ = search.Found.ReadSnapshot();
            using var model = ModelStore.Load(search.Found.Directory, CPU);
            Assert.Equal(lastStep, model.Manifest.Step);
        }
        Assert.True(lastStep > 20, $"the runs made little progress ({lastStep} steps): the kills came before training");
        Console.WriteLine($"20 kills: {interruptedSaves} left a partial save behind; last valid step {lastStep}");
    }

    [Fact]
    public async Task DistributedResume_SameWorldSizeIsBitwiseEqual_AndAnotherWorldSizeContinues()
    {
        using var run = new RunDirectory();
        var whole = await Rld.RunAsync(RunTimeout, "train", "--preset", "toy2d", "--steps", "6", "--batch", "96", "--seed", "3", "--workers", "2", "--run-id", "whole", "--out", run.Sub("whole"));
        Assert.True(whole.ExitCode == 0, whole.Output + whole.Error);
        var first = await Rld.RunAsync(RunTimeout, "train", "--preset", "toy2d", "--steps", "3", "--batch", "96", "--seed", "3", "--workers", "2", "--run-id", "parts", "--out", run.Sub("parts"));
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var checkpoints = Path.Combine(run.Sub("parts"), "checkpoints");

        var resumed = await Rld.RunAsync(RunTimeout, "train", "--workers", "2", "--resume", checkpoints, "--steps", "6");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains("at step 3 of 6", resumed.Output, StringComparison.Ordinal);
        foreach (var file in new[] { "model/energy.bin", "model/ema.bin", "checkpoints/step-000000006/optimizer.bin" })
            Assert.True(Hash(Path.Combine(run.Sub("whole"), file)) == Hash(Path.Combine(run.Sub("parts"), file)), $"{file} differs after resuming at the same world size");

        var wider = await Rld.RunAsync(RunTimeout, "train", "--workers", "3", "--resume", checkpoints, "--steps", "8");
        Assert.True(wider.ExitCode == 0, wider.Output + wider.Error);
        Assert.Contains("saved by 2 worker(s)", wider.Output, StringComparison.Ordinal);
        var last = CheckpointVerifier.Verify(Path.Combine(checkpoints, CheckpointFiles.DirectoryName(8)), "parts");
        Assert.Equal(3, last.Manifest.WorldSize);
    }

    private static async Task WaitForAsync(Func<bool> condition, RldProcess process)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited early:\n{process.Output}");
            if (clock.Elapsed > RunTimeout) throw new TimeoutException($"{process.Name} wrote no checkpoint:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

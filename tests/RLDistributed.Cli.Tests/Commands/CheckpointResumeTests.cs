using System.Security.Cryptography;
using System.Text.Json;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary><c>rld train --resume</c> and <c>rld inspect</c> on real checkpoints written by real runs.</summary>
public sealed class CheckpointResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rld-resume-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task StopAndResume_EndsBitwiseEqualToTheUninterruptedRun()
    {
        var whole = Path.Combine(_root, "whole");
        var parts = Path.Combine(_root, "parts");
        await TrainAsync(whole, "--steps", "8");
        await TrainAsync(parts, "--steps", "5");
        var resumed = await RldProcess.RunAsync("train", "--resume", Path.Combine(parts, "checkpoints"), "--steps", "8", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains("at step 5 of 8", resumed.Output, StringComparison.Ordinal);

        foreach (var file in new[] { "model/energy.bin", "model/ema.bin", "checkpoints/step-000000008/optimizer.bin" })
            Assert.True(Hash(Path.Combine(whole, file)) == Hash(Path.Combine(parts, file)), $"{file} differs after resuming");
        // The metrics file continues rather than restarting.
        Assert.Equal(Enumerable.Range(1, 8), File.ReadAllLines(Path.Combine(parts, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task CorruptedNewestCheckpoint_InspectSaysWhich_ResumeSkipsItWithTheReasonAndUsesThePrevious()
    {
        var run = Path.Combine(_root, "run");
        await TrainAsync(run, "--steps", "6", "--checkpoint-every", "2");
        var checkpoints = Path.Combine(run, "checkpoints");
        var healthy = await RldProcess.RunAsync("inspect", checkpoints, "--json");
        Assert.Equal(0, healthy.ExitCode);
        var listed = JsonDocument.Parse(healthy.Output).RootElement.GetProperty("checkpoints");
        Assert.Equal(3, listed.GetArrayLength());
        Assert.All(listed.EnumerateArray(), c => Assert.True(c.GetProperty("valid").GetBoolean()));

        var energy = Path.Combine(checkpoints, "step-000000006", "energy.bin");
        var bytes = File.ReadAllBytes(energy);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(energy, bytes);

        var inspect = await RldProcess.RunAsync("inspect", Path.Combine(checkpoints, "step-000000006"));
        Assert.Equal(1, inspect.ExitCode);
        Assert.Contains("INVALID", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("energy.bin", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("corrupted", inspect.Output, StringComparison.Ordinal);

        var resumed = await RldProcess.RunAsync("train", "--resume", checkpoints, "--steps", "7", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains("skipped checkpoint", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("step-000000006", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("at step 4 of 7", resumed.Output, StringComparison.Ordinal);
        // Steps 5 and 6 were trained again from step 4: their lines are replaced, not repeated.
        Assert.Equal(Enumerable.Range(1, 7), File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task Resume_BadUse_OneClearLineAndExitCode2()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        var nothing = await RldProcess.RunAsync("train", "--resume", empty);
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("no valid checkpoint in", nothing.Error + nothing.Output, StringComparison.Ordinal);

        var conflicting = await RldProcess.RunAsync("train", "--resume", empty, "--batch", "64");
        Assert.Equal(2, conflicting.ExitCode);
        Assert.Contains("--batch", conflicting.Error + conflicting.Output, StringComparison.Ordinal);

        var missing = await RldProcess.RunAsync("inspect", Path.Combine(_root, "absent"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such directory", missing.Error + missing.Output, StringComparison.Ordinal);
    }

    private static async Task TrainAsync(string output, params string[] extra)
    {
        var result = await RldProcess.RunAsync(["train", "--preset", "toy2d", "--batch", "64", "--seed", "9", "--threads", "1", "--out", output, .. extra]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

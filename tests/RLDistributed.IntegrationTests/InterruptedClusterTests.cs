using System.Text.RegularExpressions;

namespace RLDistributed.IntegrationTests;

/// <summary>Ctrl-C (here SIGTERM, handled alike) of <c>rld train --workers 2</c>: the cluster stops and the command names what to continue from.</summary>
public sealed partial class InterruptedClusterTests
{
    [Fact]
    public async Task TrainWorkers_Stopped_NamesTheNewestCheckpointAndTheCommandThatContinues()
    {
        using var run = new RunDirectory();
        var output = run.Sub("out");
        var checkpoints = Path.Combine(output, "checkpoints");
        using var train = RldProcess.Start("train", new Dictionary<string, string> { ["COLUMNS"] = "250" },
            "train", "--preset", "toy2d", "--workers", "2", "--steps", "100000", "--batch", "48", "--checkpoint-every", "20", "--out", output);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!Directory.Exists(Path.Combine(checkpoints, "step-000000040")) && DateTime.UtcNow < deadline && !train.HasExited)
            await Task.Delay(50);
        Assert.True(Directory.Exists(Path.Combine(checkpoints, "step-000000040")), train.Output);

        train.Terminate();

        Assert.True(await train.WaitForExitAsync(TimeSpan.FromSeconds(60)), train.Output);
        Assert.True(train.ExitCode == 130, $"exit {train.ExitCode}: {train.Output}");
        var said = StoppedLine().Match(string.Join(' ', train.Lines().Select(l => l.Trim())));
        Assert.True(said.Success, train.Output);
        var newest = int.Parse(said.Groups["saved"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(checkpoints, said.Groups["root"].Value);
        Assert.Equal(checkpoints, said.Groups["resume"].Value);
        // The newest on disk, not the coordinator's last word (its status lags): no later checkpoint exists.
        // (A save cut short by the stop leaves step-N.tmp, which is no checkpoint.)
        var onDisk = Directory.GetDirectories(checkpoints, "step-*").Select(d => Path.GetFileName(d)!).Where(n => !n.Contains('.', StringComparison.Ordinal))
            .Select(n => int.Parse(n[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(newest >= 40 && newest == onDisk.Max(), $"said {newest}, on disk {string.Join(' ', onDisk)}: {train.Output}");
    }

    [GeneratedRegex(@"stopped; newest checkpoint: step (?<saved>\d+) of 100000 in (?<root>\S+); continue with: rld train --workers 2 --resume (?<resume>\S+)")]
    private static partial Regex StoppedLine();
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary>Ctrl-C during <c>rld train</c> (one process, real SIGINT): the finished steps are kept and the run continues bit for bit.</summary>
public sealed partial class InterruptedTrainingTests : IDisposable
{
    private const string Steps = "600";
    private readonly ScratchDirectory _scratch = new("rld-interrupt-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Interrupted_SavesTheFinishedSteps_SaysHowToContinue_AndTheContinuedRunEqualsTheUninterruptedOne()
    {
        var whole = _scratch["whole"];
        var parts = _scratch["parts"];
        var metrics = Path.Combine(parts, "metrics.jsonl");
        // No periodic checkpoints: whatever is saved, the stop saved.
        string[] train = ["train", "--preset", "toy2d", "--batch", "64", "--seed", "5", "--threads", "1", "--checkpoint-every", "0", "--steps", Steps];

        var stopped = await RldProcess.RunInterruptedAsync(() => File.Exists(metrics) && File.ReadLines(metrics).Count() >= 20, [.. train, "--out", parts]);

        Assert.True(stopped.ExitCode == 130, $"exit {stopped.ExitCode}: {stopped.Output}{stopped.Error}");
        var said = StoppedLine().Match(Unwrapped(stopped.Output));
        Assert.True(said.Success, stopped.Output);
        var step = int.Parse(said.Groups["step"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(step, 20, int.Parse(Steps, System.Globalization.CultureInfo.InvariantCulture) - 1);
        Assert.Equal(step.ToString(System.Globalization.CultureInfo.InvariantCulture), said.Groups["saved"].Value);
        var checkpoints = Path.Combine(parts, "checkpoints");
        Assert.Equal(checkpoints, said.Groups["resume"].Value.Trim());
        Assert.Equal([$"step-{step:D9}"], Directory.GetDirectories(checkpoints).Select(Path.GetFileName));
        Assert.Equal(step, File.ReadLines(metrics).Count());

        var resumed = await RldProcess.RunAsync("train", "--resume", checkpoints, "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains($"at step {step} of {Steps}", resumed.Output, StringComparison.Ordinal);
        var uninterrupted = await RldProcess.RunAsync([.. train, "--out", whole]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Output + uninterrupted.Error);
        foreach (var file in new[] { "model/energy.bin", "model/ema.bin", $"checkpoints/step-000000{Steps}/optimizer.bin" })
            Assert.True(Hash(Path.Combine(whole, file)) == Hash(Path.Combine(parts, file)), $"{file} differs after the interrupted run continued");
    }

    [Fact]
    public async Task InterruptedBeforeTheFirstStep_SaysThereIsNothingToContinueFrom()
    {
        var output = _scratch["early"];
        // The run makes its output directory first, then the networks; an image preset's first step takes about a second here.
        var result = await RldProcess.RunInterruptedAsync(() => Directory.Exists(output),
            "train", "--preset", "fashion-mnist", "--batch", "16", "--threads", "1", "--steps", "5", "--out", output);

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("rld: cancelled", result.Error, StringComparison.Ordinal);
        Assert.Contains("stopped after step 0 of 5, before any checkpoint: nothing to continue from", Unwrapped(result.Output), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(output, "checkpoints")) && Directory.GetDirectories(Path.Combine(output, "checkpoints")).Length > 0);
    }

    /// <summary>Spectre wraps output at 80 columns when it is not a terminal (at spaces: the paths here are shorter).</summary>
    private static string Unwrapped(string output) => string.Join(' ', output.Split('\n').Select(line => line.Trim()));

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [GeneratedRegex(@"stopped after step (?<step>\d+) of \d+; checkpoint of step (?<saved>\d+) in .*; continue with: rld train --resume (?<resume>\S+)", RegexOptions.None)]
    private static partial Regex StoppedLine();
}

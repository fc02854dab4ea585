using System.Text.RegularExpressions;
using RLDistributed.Core.Checkpoints;
using static TorchSharp.torch;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// <c>rld train --workers N</c> as real processes on loopback: a coordinator and N workers that all-reduce
/// gradients over the tcp (or grpc) data plane. Small runs: toy2d, 10 steps, global batch 48.
/// </summary>
public sealed partial class DistributedTrainingTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TrainWorkers_Completes_EveryRankEndsWithTheSameParameters(int workers)
    {
        using var run = new RunDirectory();
        var result = await TrainAsync(run.Sub("out"), workers, "tcp", $"ranks-{workers}");

        Assert.True(result.ExitCode == 0, result.Output + result.Error + ClusterLog(run.Sub("out")));
        var hashes = FinalHashes(run.Sub("out"));
        Assert.Equal(workers, hashes.Count);
        Assert.Single(hashes.Values.Distinct());
        Assert.True(File.Exists(Path.Combine(run.Sub("out"), "model", "model.json")));
        Assert.True(File.Exists(Path.Combine(run.Sub("out"), "samples.png")));
        // Rank 0 says how far the final picture has come (minutes for an image preset on a CPU), level by level.
        var drawing = Regex.Matches(ClusterLog(run.Sub("out")), @"\[worker-\d\].*rank 0: drawing 2000 samples for .*samples\.png, (\d) of 6 levels done");
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6"], drawing.Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task TrainWorkers_OneTwoThree_SameRunUpToSummationOrder_AndFixedNBitwise()
    {
        using var run = new RunDirectory();
        var results = new Dictionary<string, Rld.Result>();
        foreach (var (name, workers, transport) in new[] { ("n1", 1, "tcp"), ("n2", 2, "tcp"), ("n3", 3, "tcp"), ("n2-again", 2, "tcp"), ("n2-grpc", 2, "grpc") })
            results[name] = await TrainAsync(run.Sub(name), workers, transport, name);
        Assert.All(results, r => Assert.True(r.Value.ExitCode == 0, r.Key + ": " + r.Value.Output + r.Value.Error + ClusterLog(run.Sub(r.Key))));

        using var scope = NewDisposeScope();
        var reference = Parameters(run.Sub("n1"));
        foreach (var name in new[] { "n2", "n3" })
        {
            var other = Parameters(run.Sub(name));
            Assert.Equal(reference.Length, other.Length);
            for (var i = 0; i < reference.Length; i++)
            {
                var relative = ((reference[i] - other[i]).norm() / reference[i].norm().clamp_min(1e-12)).item<float>();
                Assert.True(relative <= 1e-4, $"{name}: parameter {i} differs from N = 1 by {relative:E2} (relative)");
            }
        }

        // A fixed N is bitwise reproducible, and both transports run the same ring, so they agree bitwise too.
        Assert.Equal(Hash(run.Sub("n2")), Hash(run.Sub("n2-again")));
        Assert.Equal(Hash(run.Sub("n2")), Hash(run.Sub("n2-grpc")));
    }

    [Fact]
    public async Task TrainWorkers_AllReduceOverlapOn_SameParametersBitwiseAsOff_WithBucketsReducedDuringTheBackward()
    {
        // Three workers (the bucket layout then decides each sum's order) and 16 KiB buckets: toy2d's 188 KiB gradient
        // in 12 of them, so that the backward finishes some buckets long before it returns.
        using var run = new RunDirectory();
        var debug = new Dictionary<string, string> { ["RLD_LOG_LEVEL"] = "Debug" };
        var results = new Dictionary<string, Rld.Result>();
        foreach (var setting in new[] { "false", "true" })
            results[setting] = await Rld.RunInAsync(null, debug, RunTimeout, "train", "--preset", "toy2d", "--steps", "10", "--batch", "48", "--seed", "3",
                "--workers", "3", "--bucket-kib", "16", "--allreduce-overlap", setting, "--run-id", $"overlap-{setting}", "--out", run.Sub(setting));
        Assert.All(results, r => Assert.True(r.Value.ExitCode == 0, r.Key + ": " + r.Value.Output + r.Value.Error + ClusterLog(run.Sub(r.Key))));

        Assert.Equal(Hash(run.Sub("false")), Hash(run.Sub("true")));
        var off = StepTimings(run.Sub("false"));
        var on = StepTimings(run.Sub("true"));
        Assert.Equal(30, off.Count);
        Assert.Equal(30, on.Count);
        Assert.All(off, t => Assert.False(t.Overlapped));
        Assert.All(on, t => Assert.True(t.Overlapped));
        // Bucket 0 was complete before the backward returned, and the ring had worked on it by then.
        Assert.Contains(on, t => t.WindowSeconds > 0 && t.HiddenSeconds > 0);
    }

    private static List<(bool Overlapped, double WindowSeconds, double HiddenSeconds)> StepTimings(string output) =>
        File.ReadAllLines(Path.Combine(output, "cluster.log"))
            .Select(line => StepTimingsLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (bool.Parse(m.Groups[4].Value), Seconds(m.Groups[3].Value), Seconds(m.Groups[2].Value)))
            .ToList();

    private static double Seconds(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static string ClusterLog(string output)
    {
        var path = Path.Combine(output, "cluster.log");
        return File.Exists(path) ? "\n" + File.ReadAllText(path) : "";
    }

    private static Task<Rld.Result> TrainAsync(string output, int workers, string transport, string runId) =>
        Rld.RunAsync(RunTimeout, "train", "--preset", "toy2d", "--steps", "10", "--batch", "48", "--seed", "3",
            "--workers", workers.ToString(), "--transport", transport, "--run-id", runId, "--out", output);

    private static Tensor[] Parameters(string output)
    {
        using var model = ModelStore.Load(Path.Combine(output, "model"), CPU);
        return model.Energy.parameters().Select(p => p.detach().clone().MoveToOuterDisposeScope()).ToArray();
    }

    private static string Hash(string output) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(output, "model", ModelStore.EnergyFile))));

    /// <summary>The "final parameter hash" every worker logs, by rank.</summary>
    private static Dictionary<int, string> FinalHashes(string output) =>
        File.ReadAllLines(Path.Combine(output, "cluster.log"))
            .Select(line => FinalHashLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => int.Parse(m.Groups[1].Value), m => m.Groups[2].Value);

    [GeneratedRegex(@"rank (\d+) finished \d+ steps; final parameter hash ([0-9A-Fa-f]+)")]
    private static partial Regex FinalHashLine();

    /// <summary>A worker's per-step timing line (debug): hidden seconds, then the window before the backward's end, then the setting.</summary>
    [GeneratedRegex(@"rank (\d+) step \d+: backward [\d.]+ s, all-reduce [\d.]+ s of which ([\d.]+) s behind the backward \(first bucket ready ([\d.]+) s before its end\), waited [\d.]+ s \(overlap (True|False|true|false)\)")]
    private static partial Regex StepTimingsLine();
}

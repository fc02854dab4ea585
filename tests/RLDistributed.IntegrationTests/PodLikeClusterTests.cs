using System.Net;
using System.Net.Sockets;
using RLDistributed.Core.Presets;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A coordinator and workers configured only through the environment, as charts/rld configures its pods:
/// every process binds 0.0.0.0, workers advertise a host name rather than an address, and the chart's
/// helm test (rld ring-check) judges the ring.
/// </summary>
public sealed class PodLikeClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Cluster_ConfiguredLikeTheChart_TrainsAndRingCheckPassesButNotForAnotherSize()
    {
        using var run = new RunDirectory();
        var toy = TrainingPresets.Get("toy2d");
        var spec = new RunSpec { Preset = toy with { Training = toy.Training with { Steps = 300, GlobalBatch = 64 } }, ThreadsPerWorker = 1 };
        await File.WriteAllTextAsync(run.Sub("run.json"), spec.ToJson());
        // The token as the chart's Secret mounts it: a file, here with a trailing newline as an editor leaves it.
        await File.WriteAllTextAsync(run.Sub("token"), RLDistributed.Hosting.Security.RunToken.Generate().Value + "\n");
        var checker = new Dictionary<string, string> { ["Rld__Worker__TokenFile"] = run.Sub("token") };
        var port = FreePort();
        var address = $"http://localhost:{port}";

        var coordinator = Rld.RunInAsync(null, Settings("Coordinator", run, new()
        {
            ["RunId"] = "pod-like", ["Workers"] = "2", ["Spec"] = run.Sub("run.json"), ["OutputDirectory"] = run.Sub("output"),
            ["Transport"] = "tcp", ["Host"] = "0.0.0.0", ["Port"] = port.ToString(),
            ["CheckpointEvery"] = "100", ["KeepCheckpoints"] = "3", ["Resume"] = "true",
        }), Timeout, "coordinator");
        var workers = Enumerable.Range(0, 2).Select(i => Rld.RunInAsync(null, Settings("Worker", run, new()
        {
            ["Coordinator"] = address, ["RunId"] = "pod-like", ["WorkerId"] = $"rld-worker-{i}",
            ["Host"] = "0.0.0.0", ["AdvertiseHost"] = "localhost", ["CollectivePort"] = "0", ["DataPort"] = "0",
        }), Timeout, "worker", "--device", "cpu", "--threads", "1")).ToArray();
        var wrongSize = Rld.RunInAsync(null, checker, Timeout, "ring-check", "--coordinator", address, "--workers", "3", "--timeout", "60");
        var check = Rld.RunInAsync(null, checker, Timeout, "ring-check", "--coordinator", address, "--workers", "2", "--run-id", "pod-like", "--steps", "2", "--timeout", "60");
        var intruder = Rld.RunAsync(Timeout, "ring-check", "--coordinator", address, "--workers", "2", "--timeout", "60");

        var results = await Task.WhenAll([coordinator, .. workers, check, wrongSize, intruder]);

        var log = string.Join('\n', results.Select(r => r.Output + r.Error));
        Assert.True(results[..3].All(r => r.ExitCode == 0), $"the cluster failed:\n{log}");
        Assert.True(File.Exists(Path.Combine(run.Sub("output"), "samples.png")), "rank 0 wrote no samples");
        Assert.True(results[3].ExitCode == 0, $"ring-check failed:\n{results[3].Output}{results[3].Error}");
        Assert.Equal(1, results[4].ExitCode);
        Assert.Contains("2 worker seats, expected 3", results[4].Output, StringComparison.Ordinal);
        // Without the token the check is refused, and the run is not disturbed.
        Assert.Equal(1, results[5].ExitCode);
        Assert.Contains("refused the check", results[5].Output, StringComparison.Ordinal);
    }

    /// <summary>The role's settings as Rld__Role__Key variables, plus what the chart sets beside them.</summary>
    private static Dictionary<string, string> Settings(string role, RunDirectory run, Dictionary<string, string> keys)
    {
        var environment = keys.ToDictionary(k => $"Rld__{role}__{k.Key}", k => k.Value);
        environment[$"Rld__{role}__TokenFile"] = run.Sub("token");
        environment[$"Rld__{role}__CheckpointDir"] = run.Sub("checkpoints");
        environment[$"Rld__{role}__MetricsPort"] = "0";
        environment["RLD_LOG_JSON"] = "1";
        environment["OTEL_SERVICE_NAME"] = $"rld-{role.ToLowerInvariant()}";
        return environment;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

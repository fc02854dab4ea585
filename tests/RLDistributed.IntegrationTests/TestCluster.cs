using System.Globalization;
using RLDistributed.Core.Presets;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A coordinator and workers started one by one as real processes, so that a test can kill any of them:
/// toy2d with one torch thread per worker, per-step debug lines from the workers.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    private readonly List<RldProcess> _processes = [];
    private readonly RunDirectory _run;
    private readonly string _runId;

    public TestCluster(RunDirectory run, string runId, int steps, int batch, int checkpointEvery = 0)
    {
        _run = run;
        _runId = runId;
        var toy = TrainingPresets.Get("toy2d");
        var spec = new RunSpec
        {
            Preset = toy with { Training = toy.Training with { Steps = steps, GlobalBatch = batch, Seed = 11 } },
            ThreadsPerWorker = 1,
            CheckpointEvery = checkpointEvery,
        };
        File.WriteAllText(run.Sub("run.json"), spec.ToJson());
    }

    public string Url { get; private set; } = "";

    /// <summary>Environment given to every process started after it is set (the run token, TLS files).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string Checkpoints => _run.Sub("checkpoints");

    public string Output => _run.Sub("out");

    public RldProcess? Coordinator { get; private set; }

    public List<RldProcess> Workers { get; } = [];

    /// <summary>Starts the coordinator (on <paramref name="port"/>, 0: any) and waits until it listens.</summary>
    public async Task<RldProcess> StartCoordinatorAsync(int workers, int port = 0, params string[] extra)
    {
        var coordinator = Track(RldProcess.Start("coordinator", Environment,
        [
            "coordinator", "--run-id", _runId, "--workers", workers.ToString(CultureInfo.InvariantCulture), "--spec", _run.Sub("run.json"),
            "--out", Output, "--checkpoint-dir", Checkpoints, "--port", port.ToString(CultureInfo.InvariantCulture), .. extra,
        ]));
        var line = await coordinator.WaitForLineAsync("coordinator listening on ", TimeSpan.FromSeconds(60));
        Url = line[line.IndexOf("http", StringComparison.Ordinal)..].Split(' ')[0];
        Coordinator = coordinator;
        return coordinator;
    }

    /// <summary>Starts a worker talking to <paramref name="coordinatorUrl"/> (default: the coordinator).</summary>
    public RldProcess StartWorker(string? coordinatorUrl = null, params string[] extra)
    {
        var environment = new Dictionary<string, string>(Environment) { ["RLD_LOG_LEVEL"] = "Debug" };
        var worker = Track(RldProcess.Start($"worker-{Workers.Count}", environment,
            ["worker", "--coordinator", coordinatorUrl ?? Url, "--run-id", _runId, "--threads", "1", .. extra]));
        Workers.Add(worker);
        return worker;
    }

    /// <summary>Everything every process printed, for failure messages.</summary>
    public string Log => string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Output}"));

    public RldProcess Track(RldProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using RLDistributed.Core.Presets;

namespace RLDistributed.IntegrationTests.Observability;

/// <summary>
/// One live 2-worker run shared by the observability tests (one run, not one per test: 2 cores): the Aspire
/// dashboard as its OTLP receiver (when fetched), metrics ports on every process, JSON logs on the workers, and
/// worker 1 slowed by the debug step delay so that it is a straggler. The run is long (it is killed at the
/// end); the fixture is ready once the coordinator has combined a few steps.
/// </summary>
public sealed class ObservedRun : IAsyncLifetime
{
    /// <summary>Sleep per step on worker 1: flagged while the fast rank computes in under 0.8 s (with two ranks the median is their mean, so the slow one must take 1.5× the other).</summary>
    public const int SlowWorkerDelayMilliseconds = 400;
    public const string RunId = "observed";

    private readonly RunDirectory _run = new();
    private readonly List<RldProcess> _processes = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(20) };

    internal AspireDashboard? Dashboard { get; private set; }

    internal RldProcess Coordinator { get; private set; } = null!;

    public Uri CoordinatorMetrics { get; private set; } = null!;

    internal List<(RldProcess Process, Uri Metrics)> Workers { get; } = [];

    public string Output => _run.Sub("out");

    public string Profile => _run.Sub("chromium");

    public string Log => string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Output}")) + (Dashboard is null ? "" : "\n--- dashboard ---\n" + Dashboard.Output);

    public async Task InitializeAsync()
    {
        var toy = TrainingPresets.Get("toy2d");
        var spec = new RunSpec
        {
            Preset = toy with { Training = toy.Training with { Steps = 100_000, GlobalBatch = 64, Seed = 5 } },
            ThreadsPerWorker = 1, CheckpointEvery = 0,
        };
        await File.WriteAllTextAsync(_run.Sub("run.json"), spec.ToJson());
        var environment = new Dictionary<string, string> { ["OTEL_BSP_SCHEDULE_DELAY"] = "500", ["OTEL_METRIC_EXPORT_INTERVAL"] = "2000" };
        if (AspireDashboard.Executable is not null)
        {
            Dashboard = await AspireDashboard.StartAsync(TimeSpan.FromSeconds(90));
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Dashboard.Otlp.ToString().TrimEnd('/');
        }

        Coordinator = Track(RldProcess.Start("coordinator", environment,
            "coordinator", "--run-id", RunId, "--workers", "2", "--spec", _run.Sub("run.json"), "--out", Output, "--port", "0", "--metrics-port", "0"));
        await Coordinator.WaitForLineAsync("coordinator listening on ", TimeSpan.FromSeconds(60));
        var url = Coordinator.Lines().First(l => l.Contains("coordinator listening on ", StringComparison.Ordinal));
        var coordinatorUrl = url[url.IndexOf("http://", StringComparison.Ordinal)..].Split(' ')[0];
        CoordinatorMetrics = MetricsUrl(await Coordinator.WaitForLineAsync("serves metrics on ", TimeSpan.FromSeconds(30)));

        for (var i = 0; i < 2; i++)
        {
            var workerEnvironment = new Dictionary<string, string>(environment) { ["RLD_LOG_JSON"] = "1", ["RLD_LOG_LEVEL"] = "Debug" };
            string[] delay = i == 1 ? ["--debug-step-delay", SlowWorkerDelayMilliseconds.ToString(CultureInfo.InvariantCulture)] : [];
            var worker = Track(RldProcess.Start($"worker-{i}", workerEnvironment,
                ["worker", "--coordinator", coordinatorUrl, "--run-id", RunId, "--threads", "1", "--worker-id", $"observed-{i}", "--metrics-port", "0", .. delay]));
            Workers.Add((worker, MetricsUrl(await worker.WaitForLineAsync("serves metrics on", TimeSpan.FromSeconds(60)))));
        }
        await WaitForStepAsync(12, TimeSpan.FromMinutes(2));
    }

    /// <summary>The coordinator's /status as JSON.</summary>
    public async Task<JsonElement> StatusAsync() => await Http.GetFromJsonAsync<JsonElement>(new Uri(CoordinatorMetrics, "/status"));

    /// <summary>Waits until the coordinator has combined step <paramref name="step"/>.</summary>
    public async Task WaitForStepAsync(long step, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Coordinator.HasExited) throw new InvalidOperationException($"the coordinator exited ({Coordinator.ExitCode}):\n{Log}");
            try
            {
                if ((await StatusAsync()).GetProperty("lastStep").GetInt64() >= step) return;
            }
            catch (HttpRequestException)
            {
            }
            if (deadline.IsCancellationRequested) throw new TimeoutException($"the run did not reach step {step} within {timeout}:\n{Log}");
            await Task.Delay(250);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var process in _processes) process.Dispose();
        Dashboard?.Dispose();
        Http.Dispose();
        _run.Dispose();
        return Task.CompletedTask;
    }

    private RldProcess Track(RldProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>"… serves metrics on http://127.0.0.1:PORT/metrics" → http://127.0.0.1:PORT/.</summary>
    private static Uri MetricsUrl(string line)
    {
        var text = line[line.IndexOf("http://", StringComparison.Ordinal)..].Split(' ', '"')[0];
        return new Uri(new Uri(text), "/");
    }
}

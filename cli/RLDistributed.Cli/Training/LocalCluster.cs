using Grpc.Net.Client;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Training;

/// <summary>
/// Runs a training job as a real cluster on this machine: one coordinator process and N worker processes
/// on 127.0.0.1, every port chosen by the OS. Stops every process it started, also when cancelled. Each run
/// gets a fresh random token, handed to the children in their environment (never on a command line, where
/// <c>ps</c> would show it): only they can join, push gradients or fetch state.
/// </summary>
public sealed class LocalCluster(LocalClusterOptions options)
{
    private readonly List<ChildProcess> _workers = [];
    private readonly RunToken _token = RunToken.Generate();

    /// <summary>What a client of this cluster needs (its token), e.g. to poll the coordinator's status.</summary>
    public RunSecurity ClientSecurity => new(_token, null);

    /// <summary>The coordinator's address once it listens (for status polling by benchmarks).</summary>
    public Uri? CoordinatorAddress { get; private set; }

    /// <summary>Kills worker <paramref name="index"/> with SIGKILL, as a lost node would end; false when it is not running.</summary>
    public bool KillWorker(int index)
    {
        ChildProcess? worker;
        lock (_workers) worker = index >= 0 && index < _workers.Count ? _workers[index] : null;
        if (worker is null || worker.HasExited) return false;
        worker.Kill();
        return true;
    }

    /// <summary>Starts everything, reports progress, and returns 0 when every process ended cleanly.</summary>
    public async Task<int> RunAsync(Action<string> log, Action<RunStatus> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var specPath = Path.Combine(options.OutputDirectory, "run.json");
        await File.WriteAllTextAsync(specPath, options.Spec.ToJson(), cancellationToken).ConfigureAwait(false);

        var children = new List<ChildProcess>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var coordinator = ChildProcess.Start("coordinator",
            [
                "coordinator", "--run-id", options.RunId, "--workers", options.Workers.ToString(), "--spec", specPath,
                "--out", options.OutputDirectory, "--transport", options.Transport, "--host", "127.0.0.1", "--port", "0",
                "--checkpoint-dir", options.Checkpoints, "--metrics-port", "0", .. (options.Resume ? new[] { "--resume" } : []),
            ], (child, line) =>
            {
                if (CoordinatorAnnouncement.ListeningAddress(line) is { } announced) listening.TrySetResult(announced);
                log($"[{child.Name}] {line}");
            }, new Dictionary<string, string> { ["Rld__Coordinator__Token"] = _token.Value });
            children.Add(coordinator);
            var address = await WaitForAddressAsync(listening.Task, coordinator, cancellationToken).ConfigureAwait(false);
            CoordinatorAddress = address;

            for (var i = 0; i < options.Workers; i++)
            {
                var arguments = new List<string> { "worker", "--coordinator", address.ToString(), "--run-id", options.RunId, "--host", "127.0.0.1" };
                if (options.ThreadsPerWorker is { } threads) arguments.AddRange(["--threads", threads.ToString()]);
                if (options.WorkerDevices is { } devices) arguments.AddRange(["--device", devices[i % devices.Count]]);
                var environment = new Dictionary<string, string>(options.WorkerEnvironment ?? new Dictionary<string, string>()) { ["Rld__Worker__Token"] = _token.Value };
                var worker = ChildProcess.Start($"worker-{i}", arguments, (child, line) => log($"[{child.Name}] {line}"), environment);
                children.Add(worker);
                lock (_workers) _workers.Add(worker);
            }

            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = ClientSecurity.CreateHandler() });
            var client = new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(channel);
            var reported = new HashSet<ChildProcess>();
            // The coordinator decides the run: a worker that dies is replaced by a re-formed ring (design.md,
            // Faults), so only the coordinator's exit ends the wait.
            while (!coordinator.HasExited)
            {
                await Task.WhenAny(coordinator.WaitForExitAsync(cancellationToken), Task.Delay(500, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    progress(await client.GetStatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken).ConfigureAwait(false));
                }
                catch (Grpc.Core.RpcException)
                {
                    // The coordinator exits at the end of the run; the exit codes tell the outcome.
                }
                foreach (var child in children.Where(c => c.HasExited && c.ExitCode != 0 && reported.Add(c))) log($"{child.Name} exited with code {child.ExitCode}");
            }
            // Workers leave right after the coordinator has seen them complete; give them a moment to exit.
            var workersDone = Task.WhenAll(children.Where(c => c != coordinator).Select(c => c.WaitForExitAsync(cancellationToken)));
            await Task.WhenAny(workersDone, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
            foreach (var child in children.Where(c => c.HasExited && c.ExitCode != 0 && reported.Add(c))) log($"{child.Name} exited with code {child.ExitCode}");
            if (coordinator.ExitCode != 0) log($"coordinator exited with code {coordinator.ExitCode}");
            return coordinator.ExitCode == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

    private static async Task<Uri> WaitForAddressAsync(Task<Uri> listening, ChildProcess coordinator, CancellationToken cancellationToken)
    {
        var exited = coordinator.WaitForExitAsync(cancellationToken);
        var timeout = Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
        var first = await Task.WhenAny(listening, exited, timeout).ConfigureAwait(false);
        if (first == listening) return await listening.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException(first == exited
            ? $"the coordinator exited with code {coordinator.ExitCode} before listening"
            : "the coordinator did not start listening within 60 s");
    }
}

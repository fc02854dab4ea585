using System.Text.RegularExpressions;
using Grpc.Net.Client;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Training;

/// <summary>
/// Runs a training job as a real cluster on this machine: one coordinator process and N worker processes
/// on 127.0.0.1, every port chosen by the OS. Stops every process it started, also when cancelled.
/// </summary>
public sealed partial class LocalCluster(LocalClusterOptions options)
{
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
            ], (child, line) =>
            {
                var match = ListeningLine().Match(line);
                if (match.Success) listening.TrySetResult(new Uri(match.Groups[1].Value));
                log($"[{child.Name}] {line}");
            });
            children.Add(coordinator);
            var address = await WaitForAddressAsync(listening.Task, coordinator, cancellationToken).ConfigureAwait(false);

            for (var i = 0; i < options.Workers; i++)
            {
                var arguments = new List<string> { "worker", "--coordinator", address.ToString(), "--run-id", options.RunId, "--host", "127.0.0.1" };
                if (options.ThreadsPerWorker is { } threads) arguments.AddRange(["--threads", threads.ToString()]);
                children.Add(ChildProcess.Start($"worker-{i}", arguments, (child, line) => log($"[{child.Name}] {line}")));
            }

            using var channel = GrpcChannel.ForAddress(address);
            var client = new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(channel);
            var exits = Task.WhenAll(children.Select(c => c.WaitForExitAsync(cancellationToken)));
            while (!exits.IsCompleted)
            {
                await Task.WhenAny(exits, Task.Delay(500, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    progress(await client.GetStatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken).ConfigureAwait(false));
                }
                catch (Grpc.Core.RpcException)
                {
                    // The coordinator exits at the end of the run; the exit codes tell the outcome.
                }
                if (children.Any(c => c.HasExited && c.ExitCode != 0)) break;
            }
            var failed = children.Where(c => c.HasExited && c.ExitCode != 0).ToList();
            foreach (var child in failed) log($"{child.Name} exited with code {child.ExitCode}");
            return failed.Count == 0 && children.All(c => c.HasExited) ? 0 : 1;
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

    /// <summary>The line <c>rld coordinator</c> prints once bound: "coordinator listening on http://127.0.0.1:PORT".</summary>
    [GeneratedRegex(@"coordinator listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}

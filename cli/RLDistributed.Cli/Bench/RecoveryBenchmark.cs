using System.Diagnostics;
using Grpc.Net.Client;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Presets;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Recovery from a lost worker: a local cluster of N workers trains toy2d; once it is well under way, worker 1
/// gets SIGKILL. Polling the coordinator every 10 ms: detection is the first status with a membership change,
/// recovery the first status in which the re-formed ring has completed a step beyond the last one before the kill.
/// </summary>
public static class RecoveryBenchmark
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>One kill; returns the seconds to detection and to the next completed step, and the step time before.</summary>
    public static async Task<RecoveryResult> RunOnceAsync(int workers, int batch, string scratchDirectory, CancellationToken cancellationToken)
    {
        var toy = TrainingPresets.Get("toy2d");
        var spec = new RunSpec { Preset = toy with { Training = toy.Training with { GlobalBatch = batch, Steps = 1_000_000 } }, ThreadsPerWorker = 1, CheckpointEvery = 0 };
        var cluster = new LocalCluster(new LocalClusterOptions(spec, $"bench-recovery-{Environment.ProcessId}", workers, "tcp", scratchDirectory, 1));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = cluster.RunAsync(_ => { }, _ => { }, stop.Token);
        try
        {
            while (cluster.CoordinatorAddress is null && !running.IsCompleted) await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            using var channel = GrpcChannel.ForAddress(cluster.CoordinatorAddress ?? throw new InvalidOperationException("the cluster did not start"),
                new GrpcChannelOptions { HttpHandler = cluster.ClientSecurity.CreateHandler() });
            var client = new Protos.V1.Coordinator.CoordinatorClient(channel);
            var before = await WaitAsync(client, s => s.LastStep >= 30, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            if (!cluster.KillWorker(1)) throw new InvalidOperationException("worker 1 was not running");
            var killedAt = before.LastStep;
            await WaitAsync(client, s => s.MembershipChanges >= 1, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            var detected = clock.Elapsed.TotalSeconds;
            await WaitAsync(client, s => s.Generation > before.Generation && s.LastStep > killedAt, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            return new RecoveryResult(detected, clock.Elapsed.TotalSeconds, before.MedianStepSeconds);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The cluster is torn down on purpose.
            }
        }
    }

    private static async Task<RunStatus> WaitAsync(Protos.V1.Coordinator.CoordinatorClient client, Func<RunStatus, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                var status = await client.GetStatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (condition(status)) return status;
                if (status.State == "failed") throw new InvalidOperationException($"the run failed: {status.Error}");
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded)
            {
                // Still starting.
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException($"the cluster did not reach the expected state within {timeout}");
    }
}

/// <summary>Seconds from the kill to the coordinator's membership change and to the next completed step; the median step before.</summary>
public sealed record RecoveryResult(double DetectionSeconds, double NextStepSeconds, double StepSecondsBefore);

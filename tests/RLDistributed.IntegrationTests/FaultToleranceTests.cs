using RLDistributed.Core.Checkpoints;
using static TorchSharp.torch;

namespace RLDistributed.IntegrationTests;

/// <summary>Faults of design.md with real processes: kill -9 of a worker and of the coordinator, a flaky network.</summary>
public sealed class FaultToleranceTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task WorkerKilledMidStep_SurvivorsGoOn_AReplacementJoinsWithTheState_AndTheRunEndsWhereTheUninterruptedRunEnds()
    {
        using var reference = new RunDirectory();
        using (var cluster = new TestCluster(reference, "uninterrupted", steps: 40, batch: 1536))
        {
            await cluster.StartCoordinatorAsync(workers: 3);
            for (var i = 0; i < 3; i++) cluster.StartWorker();
            Assert.True(await cluster.Coordinator!.WaitForExitAsync(RunTimeout) && cluster.Coordinator.ExitCode == 0, cluster.Log);
        }

        using var faulty = new RunDirectory();
        using (var cluster = new TestCluster(faulty, "killed", steps: 40, batch: 1536))
        {
            await cluster.StartCoordinatorAsync(workers: 3);
            for (var i = 0; i < 3; i++) cluster.StartWorker();
            await cluster.Workers[1].WaitForLineAsync(" step 9:", RunTimeout);
            cluster.Workers[1].KillHard();
            await cluster.Coordinator!.WaitForLineAsync("generation 2 formed with 2 workers", RunTimeout);
            var replacement = cluster.StartWorker(); // a restarted pod: admitted at a step boundary, fed by broadcast

            Assert.True(await cluster.Coordinator.WaitForExitAsync(RunTimeout), "the run did not end:\n" + cluster.Log);
            Assert.True(cluster.Coordinator.ExitCode == 0, cluster.Log);
            Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains("generation 3 formed with 3 workers", StringComparison.Ordinal));
            Assert.Contains(replacement.Lines(), l => l.Contains("received from rank 0", StringComparison.Ordinal));
            Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains("completed after 40 steps", StringComparison.Ordinal));
        }

        // The killed step was redone at N = 2 with the same global batch: the same run up to summation order.
        using var scope = NewDisposeScope();
        using var expected = ModelStore.Load(Path.Combine(reference.Sub("out"), "model"), CPU);
        using var actual = ModelStore.Load(Path.Combine(faulty.Sub("out"), "model"), CPU);
        var want = expected.Energy.state_dict();
        foreach (var (name, tensor) in actual.Energy.state_dict())
        {
            var relative = ((tensor - want[name]).norm() / want[name].norm().clamp_min(1e-12)).item<float>();
            Assert.True(relative <= 1e-4, $"{name} differs from the uninterrupted run by {relative:E2} (relative)");
        }
    }

    [Fact]
    public async Task CoordinatorKilledAndRestarted_WorkersRejoin_AndTheRunCompletes()
    {
        using var run = new RunDirectory();
        using var cluster = new TestCluster(run, "coordinator-restart", steps: 80, batch: 1024, checkpointEvery: 20);
        var port = FreePort();
        var first = await cluster.StartCoordinatorAsync(workers: 2, port: port);
        cluster.StartWorker();
        cluster.StartWorker();
        await cluster.Workers[0].WaitForLineAsync(" step 15:", RunTimeout);
        first.KillHard();
        await Task.Delay(1000);

        var second = await cluster.StartCoordinatorAsync(workers: 2, port: port);
        Assert.True(await second.WaitForExitAsync(RunTimeout), "the run did not end:\n" + cluster.Log);
        Assert.True(second.ExitCode == 0, cluster.Log);
        Assert.Contains(second.Lines(), l => l.Contains("continuing after a restart", StringComparison.Ordinal));
        Assert.Contains(second.Lines(), l => l.Contains("completed after 80 steps", StringComparison.Ordinal));
        foreach (var worker in cluster.Workers)
            Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)) && worker.ExitCode == 0, cluster.Log);
        Assert.Equal(80, CheckpointVerifier.Verify(Path.Combine(cluster.Checkpoints, CheckpointFiles.DirectoryName(80)), "coordinator-restart").State.NextStep);
    }

    [Fact]
    public async Task FlakyNetworkToTheCoordinator_RunCompletesThroughRetries()
    {
        using var run = new RunDirectory();
        using var cluster = new TestCluster(run, "flaky", steps: 60, batch: 1024);
        await cluster.StartCoordinatorAsync(workers: 2);
        await using var proxy = FlakyProxy.Start(new Uri(cluster.Url), resetEvery: TimeSpan.FromMilliseconds(1500), connectDelay: TimeSpan.FromMilliseconds(150));
        cluster.StartWorker(proxy.Url);
        cluster.StartWorker(proxy.Url);

        Assert.True(await cluster.Coordinator!.WaitForExitAsync(RunTimeout), "the run did not end:\n" + cluster.Log);
        Assert.True(cluster.Coordinator.ExitCode == 0, cluster.Log);
        Assert.True(proxy.Resets >= 2, $"the proxy cut connections only {proxy.Resets} times: the test did not test anything");
        Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains("completed after 60 steps", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;
using Xunit.Abstractions;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A run with a token, attacked while it trains (toy2d, 2 workers, real processes): 10,000 malformed or
/// hostile messages to the coordinator, to both workers' Collective services and to both tcp data planes.
/// Every one is refused, no process crashes, and the model is bitwise the model of the same run undisturbed.
/// </summary>
public sealed class SecurityFuzzTests(ITestOutputHelper output)
{
    // Long enough that the run is still training when the last hostile message is answered, with a wide margin.
    private const int Steps = 300;
    private const int Batch = 256;
    private const int HostileMessages = 10_000;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task HostileMessagesDuringARun_AllRefused_NoCrash_ModelBitwiseEqualToTheUndisturbedRun()
    {
        using var quiet = new RunDirectory();
        var undisturbed = Stopwatch.StartNew();
        using (var cluster = Cluster(quiet, RunToken.Generate()))
        {
            await cluster.StartCoordinatorAsync(workers: 2);
            cluster.StartWorker();
            cluster.StartWorker();
            Assert.True(await cluster.Coordinator!.WaitForExitAsync(RunTimeout) && cluster.Coordinator.ExitCode == 0, cluster.Log);
        }
        output.WriteLine($"undisturbed run: {undisturbed.Elapsed.TotalSeconds:F1} s");

        using var attacked = new RunDirectory();
        var token = RunToken.Generate();
        HostileTally tally;
        string[] membershipChanges;
        var fuzz = Stopwatch.StartNew();
        using (var cluster = Cluster(attacked, token))
        {
            await cluster.StartCoordinatorAsync(workers: 2);
            var ports = Enumerable.Range(0, 4).Select(_ => FreePort()).ToArray();
            cluster.StartWorker(null, "--collective-port", ports[0].ToString(), "--data-port", ports[1].ToString());
            cluster.StartWorker(null, "--collective-port", ports[2].ToString(), "--data-port", ports[3].ToString());
            await cluster.Workers[0].WaitForLineAsync(" step 2:", RunTimeout);

            using var hostile = new HostileClient(new Uri(cluster.Url), [$"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[2]}"],
                [new IPEndPoint(IPAddress.Loopback, ports[1]), new IPEndPoint(IPAddress.Loopback, ports[3])], "fuzz", token.Value);
            // Four lanes: enough to keep every endpoint busy, few enough that the run's own heartbeats still get through on 2 cores.
            tally = await hostile.SendAsync(HostileMessages, lanes: 4, seed: 20261129);
            fuzz.Stop();
            var stillTraining = !cluster.Coordinator!.HasExited;
            if (stillTraining)
            {
                using var insider = GrpcChannel.ForAddress(cluster.Url, new GrpcChannelOptions { HttpHandler = new RunSecurity(token, null).CreateHandler() });
                var status = await new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(insider).GetStatusAsync(new StatusRequest());
                output.WriteLine($"the run was at step {status.LastStep} of {Steps} when the last hostile message was answered");
            }

            Assert.True(await cluster.Coordinator.WaitForExitAsync(RunTimeout), "the run did not end:\n" + cluster.Log);
            Assert.True(cluster.Coordinator.ExitCode == 0, cluster.Log);
            foreach (var worker in cluster.Workers)
                Assert.True(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)) && worker.ExitCode == 0, $"{worker.Name} did not end cleanly:\n{cluster.Log}");
            output.WriteLine($"{tally.Sent} hostile messages in {fuzz.Elapsed.TotalSeconds:F1} s:\n{tally}");
            Assert.True(stillTraining, "the run ended before the hostile messages did; the test proved nothing");
            Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains($"completed after {Steps} steps", StringComparison.Ordinal));
            membershipChanges = [.. cluster.Coordinator.Lines().Where(l => l.Contains("membership change", StringComparison.Ordinal))];
        }

        Assert.Equal(HostileMessages, tally.Sent);
        Assert.True(tally.Accepted.Count == 0, "not refused:\n" + string.Join("\n", tally.Accepted.Take(20)));
        // A membership change (a worker taken for dead, a stranger seated) would re-form the ring: the hostile
        // messages must cause none, and the model must be the undisturbed one to the bit.
        Assert.True(membershipChanges.Length == 0, "the ring re-formed during the attack:\n" + string.Join("\n", membershipChanges));
        Assert.Equal(EnergyHash(quiet), EnergyHash(attacked));
    }

    [Fact]
    public async Task CallsWithoutOrWithAnotherToken_AreRefusedUnauthenticated_AndTheRunCompletes()
    {
        using var run = new RunDirectory();
        using var cluster = Cluster(run, RunToken.Generate(), steps: 30);
        await cluster.StartCoordinatorAsync(workers: 2);
        var ports = Enumerable.Range(0, 2).Select(_ => FreePort()).ToArray();
        cluster.StartWorker(null, "--collective-port", ports[0].ToString(), "--data-port", ports[1].ToString());
        cluster.StartWorker();
        await cluster.Workers[0].WaitForLineAsync(" step 2:", RunTimeout);

        foreach (var security in new[] { RunSecurity.None, new RunSecurity(RunToken.Generate(), null) })
        {
            using var coordinator = GrpcChannel.ForAddress(cluster.Url, new GrpcChannelOptions { HttpHandler = security.CreateHandler() });
            var status = await Assert.ThrowsAsync<RpcException>(() => new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(coordinator).GetStatusAsync(new StatusRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
            using var worker = GrpcChannel.ForAddress($"http://127.0.0.1:{ports[0]}", new GrpcChannelOptions { HttpHandler = security.CreateHandler() });
            using var fetch = new Collective.CollectiveClient(worker).FetchState(new StateRequest { RunId = "fuzz", Generation = 1, Rank = 1 });
            var refused = await Assert.ThrowsAsync<RpcException>(() => fetch.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }
        Assert.True(await cluster.Coordinator!.WaitForExitAsync(RunTimeout) && cluster.Coordinator.ExitCode == 0, cluster.Log);
        Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains("Refused a call to /rld.v1.Coordinator/GetStatus", StringComparison.Ordinal) && l.Contains("no run token", StringComparison.Ordinal));
        Assert.Contains(cluster.Workers[0].Lines(), l => l.Contains("Refused a call to /rld.v1.Collective/FetchState", StringComparison.Ordinal) && l.Contains("wrong run token", StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Log.Split('\n'), l => l.Contains(cluster.Environment["Rld__Coordinator__Token"], StringComparison.Ordinal));
    }

    private static TestCluster Cluster(RunDirectory run, RunToken token, int steps = Steps)
    {
        var cluster = new TestCluster(run, "fuzz", steps, Batch);
        cluster.Environment["Rld__Coordinator__Token"] = token.Value;
        cluster.Environment["Rld__Worker__Token"] = token.Value;
        return cluster;
    }

    private static string EnergyHash(RunDirectory run) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(run.Sub("out"), "model", ModelStore.EnergyFile))));

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

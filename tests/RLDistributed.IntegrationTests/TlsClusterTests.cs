using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A run over mutual TLS with certificates from <c>rld certs</c>, configured through the environment as the chart
/// does (Rld__Coordinator__TlsCert, …): it trains over https and a TLS data plane, and a client whose certificate
/// comes from another CA is refused by the coordinator, by a worker's Collective service and by its data plane.
/// </summary>
public sealed class TlsClusterTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private const string StepDelayMilliseconds = "1000";

    [Fact]
    public async Task MutualTls_RunCompletes_ClientCertificateOfAnotherCaIsRefusedEverywhere()
    {
        using var run = new RunDirectory();
        foreach (var name in new[] { "run-ca", "other-ca" })
        {
            var made = await Rld.RunAsync(TimeSpan.FromMinutes(1), "certs", "--out", run.Sub(name));
            Assert.True(made.ExitCode == 0, made.Output + made.Error);
        }
        var token = RunToken.Generate();
        using var cluster = new TestCluster(run, "tls", steps: 30, batch: 256);
        foreach (var role in new[] { "Coordinator", "Worker" })
        {
            cluster.Environment[$"Rld__{role}__Token"] = token.Value;
            cluster.Environment[$"Rld__{role}__TlsCert"] = Path.Combine(run.Sub("run-ca"), "tls.crt");
            cluster.Environment[$"Rld__{role}__TlsKey"] = Path.Combine(run.Sub("run-ca"), "tls.key");
            cluster.Environment[$"Rld__{role}__TlsCa"] = Path.Combine(run.Sub("run-ca"), "ca.crt");
        }
        await cluster.StartCoordinatorAsync(workers: 2);
        Assert.StartsWith("https://", cluster.Url, StringComparison.Ordinal);
        var ports = new[] { FreePort(), FreePort() };
        // The probes below need the workers still up after step 2: 30 toy2d steps can be over in a second or two,
        // so every step is held for a moment (the slower rank sets the pace of both).
        cluster.StartWorker(null, "--collective-port", ports[0].ToString(), "--data-port", ports[1].ToString(), "--debug-step-delay", StepDelayMilliseconds);
        cluster.StartWorker();
        await cluster.Workers[0].WaitForLineAsync(" step 2:", RunTimeout);

        // A client with the right token but a certificate of another CA (which it also trusts for the servers).
        var intruder = new RunSecurity(token, RunTls.Load(Path.Combine(run.Sub("other-ca"), "tls.crt"), Path.Combine(run.Sub("other-ca"), "tls.key"), Path.Combine(run.Sub("other-ca"), "ca.crt"), "test"));
        var insider = new RunSecurity(token, RunTls.Load(Path.Combine(run.Sub("run-ca"), "tls.crt"), Path.Combine(run.Sub("run-ca"), "tls.key"), Path.Combine(run.Sub("run-ca"), "ca.crt"), "test"));
        var trustingIntruder = new RunSecurity(token, RunTls.Load(Path.Combine(run.Sub("other-ca"), "tls.crt"), Path.Combine(run.Sub("other-ca"), "tls.key"), Path.Combine(run.Sub("run-ca"), "ca.crt"), "test"));

        // The servers' certificates do not chain to the intruder's CA, and its own certificate does not chain to the run's.
        await Assert.ThrowsAsync<RpcException>(() => StatusAsync(cluster.Url, intruder));
        await Assert.ThrowsAsync<RpcException>(() => StatusAsync(cluster.Url, trustingIntruder));
        await Assert.ThrowsAsync<RpcException>(() => FetchAsync($"https://127.0.0.1:{ports[0]}", trustingIntruder));
        Assert.False(await DataPlaneAcceptsTlsAsync(ports[1], trustingIntruder));
        // The same calls with the run's certificate get through TLS (and the data plane's TLS handshake succeeds).
        Assert.Equal("tls", (await StatusAsync(cluster.Url, insider)).RunId);
        Assert.True(await DataPlaneAcceptsTlsAsync(ports[1], insider));

        Assert.True(await cluster.Coordinator!.WaitForExitAsync(RunTimeout) && cluster.Coordinator.ExitCode == 0, cluster.Log);
        Assert.Contains(cluster.Coordinator.Lines(), l => l.Contains("completed after 30 steps", StringComparison.Ordinal));
    }

    private static async Task<RunStatus> StatusAsync(string url, RunSecurity security)
    {
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = security.CreateHandler() });
        return await new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(channel).GetStatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
    }

    private static async Task FetchAsync(string url, RunSecurity security)
    {
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = security.CreateHandler() });
        using var call = new Collective.CollectiveClient(channel).FetchState(new StateRequest { RunId = "tls", Generation = 1, Rank = 1 }, deadline: DateTime.UtcNow.AddSeconds(20));
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }

    /// <summary>Whether the data plane completes a TLS handshake with this client and then reads from it (false: refused or cut).</summary>
    private static async Task<bool> DataPlaneAcceptsTlsAsync(int port, RunSecurity security)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await using var tls = await security.AuthenticateClientAsync(new NetworkStream(socket, ownsSocket: false), "127.0.0.1", timeout.Token);
            // TLS 1.3 reports a refused client certificate only at the first read: send garbage and expect a refusal record.
            await tls.WriteAsync(new byte[30], timeout.Token);
            var status = new byte[1];
            return await tls.ReadAsync(status, timeout.Token) == 1 && status[0] == 1;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace RLDistributed.IntegrationTests;

/// <summary>Ports in use, an unreachable coordinator and bad options: one clear line and a non-zero exit.</summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Coordinator_PortInUse_OneLineNamingTheAddress()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var run = new RunDirectory();
        var spec = run.Sub("run.json");
        await File.WriteAllTextAsync(spec, new RLDistributed.Core.Presets.RunSpec { Preset = RLDistributed.Core.Presets.TrainingPresets.Get("toy2d") }.ToJson());

        var result = await Rld.RunAsync(Timeout, "coordinator", "--run-id", "r", "--workers", "2", "--spec", spec, "--out", run.Path, "--port", port.ToString());

        Assert.NotEqual(0, result.ExitCode);
        var lines = Lines(result.Error);
        Assert.Single(lines);
        Assert.Contains($"127.0.0.1:{port}", lines[0]);
    }

    [Fact]
    public async Task Worker_UnreachableCoordinator_OneLineAndNonZeroExit()
    {
        using var closed = new ClosedPort();

        var result = await Rld.RunAsync(Timeout, "worker", "--coordinator", closed.Url, "--run-id", "r", "--connect-timeout", "2");

        Assert.NotEqual(0, result.ExitCode);
        var lines = Lines(result.Error);
        Assert.Single(lines);
        Assert.Contains("unreachable", lines[0]);
        Assert.Contains(closed.Port.ToString(), lines[0]);
    }

    [Fact]
    public async Task Worker_AddressAnsweredByAWebServer_OneLineSayingItIsNoCoordinator()
    {
        using var web = new TcpListener(IPAddress.Loopback, 0);
        web.Start();
        var port = ((IPEndPoint)web.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var answering = AnswerHttp1Async(web, stop.Token);

        // A connect timeout longer than the test's: the worker must give up at once, not retry until then.
        var result = await Rld.RunAsync(Timeout, "worker", "--coordinator", $"http://127.0.0.1:{port}", "--run-id", "r", "--connect-timeout", "600");
        await stop.CancelAsync();
        await answering;

        Assert.Equal(1, result.ExitCode);
        var lines = Lines(result.Error);
        Assert.Single(lines);
        Assert.Contains($"127.0.0.1:{port}", lines[0]);
        Assert.Contains("not as an rld coordinator", lines[0]);
    }

    [Theory]
    [InlineData("--transport", "train", "--workers", "2", "--transport", "udp")]
    [InlineData("--workers", "train", "--workers", "-1")]
    [InlineData("--workers", "train", "--workers", "9", "--batch", "4")]
    [InlineData("--coordinator", "worker", "--coordinator", "not a url", "--run-id", "r")]
    [InlineData("--spec", "coordinator", "--run-id", "r", "--workers", "2", "--spec", "/nonexistent/run.json", "--out", "/tmp")]
    public async Task BadOption_OneLineNamingItAndExitCode2(string named, params string[] args)
    {
        var result = await Rld.RunAsync(Timeout, args);

        Assert.Equal(2, result.ExitCode);
        var lines = Lines(result.Error);
        Assert.Single(lines);
        Assert.Contains(named, lines[0]);
    }

    /// <summary>Answers every connection as an HTTP/1.1 server does to a request it cannot parse, and closes it.</summary>
    private static async Task AnswerHttp1Async(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                await stream.ReadAtLeastAsync(new byte[4096], 1, throwOnEndOfStream: false, cancellationToken);
                await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

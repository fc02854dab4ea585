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

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

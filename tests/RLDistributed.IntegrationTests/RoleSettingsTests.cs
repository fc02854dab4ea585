using System.Net;
using System.Net.Sockets;

namespace RLDistributed.IntegrationTests;

/// <summary>Service roles take their settings from flags, the environment and appsettings.json, as containers give them.</summary>
public sealed class RoleSettingsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Worker_SettingsFromEnvironment_AreUsed()
    {
        var port = ClosedPort();
        var result = await Rld.RunInAsync(null, new Dictionary<string, string>
        {
            ["Rld__Worker__Coordinator"] = $"http://127.0.0.1:{port}",
            ["Rld__Worker__RunId"] = "from-env",
        }, Timeout, "worker", "--connect-timeout", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", result.Error);
        Assert.Contains("unreachable", result.Error);
    }

    [Fact]
    public async Task Worker_SettingsFromAppsettings_FlagWins()
    {
        using var run = new RunDirectory();
        var configured = ClosedPort();
        var flagged = ClosedPort();
        await File.WriteAllTextAsync(run.Sub("appsettings.json"),
            $$"""{ "Rld": { "Worker": { "Coordinator": "http://127.0.0.1:{{configured}}", "RunId": "from-file" } } }""");

        var fromFile = await Rld.RunInAsync(run.Path, new Dictionary<string, string>(), Timeout, "worker", "--connect-timeout", "1");
        var fromFlag = await Rld.RunInAsync(run.Path, new Dictionary<string, string>(), Timeout, "worker", "--connect-timeout", "1", "--coordinator", $"http://127.0.0.1:{flagged}");

        Assert.Contains($"127.0.0.1:{configured}", fromFile.Error);
        Assert.Contains($"127.0.0.1:{flagged}", fromFlag.Error);
    }

    [Fact]
    public async Task Worker_NoRunIdAnywhere_NamesTheFlagAndTheSetting()
    {
        var result = await Rld.RunAsync(Timeout, "worker", "--coordinator", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--run-id", result.Error);
        Assert.Contains("Rld:Worker:RunId", result.Error);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

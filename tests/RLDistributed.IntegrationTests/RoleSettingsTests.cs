namespace RLDistributed.IntegrationTests;

/// <summary>Service roles take their settings from flags, the environment and appsettings.json, as containers give them.</summary>
public sealed class RoleSettingsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Worker_SettingsFromEnvironment_AreUsed()
    {
        using var closed = new ClosedPort();
        var result = await Rld.RunInAsync(null, new Dictionary<string, string>
        {
            ["Rld__Worker__Coordinator"] = closed.Url,
            ["Rld__Worker__RunId"] = "from-env",
        }, Timeout, "worker", "--connect-timeout", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"127.0.0.1:{closed.Port}", result.Error);
        Assert.Contains("unreachable", result.Error);
    }

    [Fact]
    public async Task Worker_SettingsFromAppsettings_FlagWins()
    {
        using var run = new RunDirectory();
        using var configured = new ClosedPort();
        using var flagged = new ClosedPort();
        await File.WriteAllTextAsync(run.Sub("appsettings.json"),
            $$"""{ "Rld": { "Worker": { "Coordinator": "{{configured.Url}}", "RunId": "from-file" } } }""");

        var fromFile = await Rld.RunInAsync(run.Path, new Dictionary<string, string>(), Timeout, "worker", "--connect-timeout", "1");
        var fromFlag = await Rld.RunInAsync(run.Path, new Dictionary<string, string>(), Timeout, "worker", "--connect-timeout", "1", "--coordinator", flagged.Url);

        Assert.Contains($"127.0.0.1:{configured.Port}", fromFile.Error);
        Assert.Contains($"127.0.0.1:{flagged.Port}", fromFlag.Error);
    }

    [Fact]
    public async Task Worker_NoRunIdAnywhere_NamesTheFlagAndTheSetting()
    {
        var result = await Rld.RunAsync(Timeout, "worker", "--coordinator", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--run-id", result.Error);
        Assert.Contains("Rld:Worker:RunId", result.Error);
    }
}

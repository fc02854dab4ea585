using RLDistributed.Cli.Tests.Commands;

namespace RLDistributed.Cli.Tests.Telemetry;

/// <summary>The observability options are checked at start-up, before anything binds or trains (real processes).</summary>
public sealed class TelemetryOptionTests
{
    [Theory]
    [InlineData("MetricsPort", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--metrics-port", "70000")]
    [InlineData("--collective-deadline", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--collective-deadline", "0")]
    [InlineData("--metrics-port", "coordinator", "--run-id", "r", "--workers", "1", "--spec", "/nonexistent.json", "--out", "/tmp/x", "--metrics-port", "-1")]
    public async Task Run_BadTelemetryOption_OneLineNamingItAndExitCode2(string named, params string[] args)
    {
        var result = await RldProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(named, lines[0]);
    }

    [Fact]
    public async Task Worker_DebugStepDelayEnvironmentNotANumber_NamesTheVariable()
    {
        var result = await RldProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["RLD_DEBUG_STEP_DELAY_MS"] = "slow" },
            "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("RLD_DEBUG_STEP_DELAY_MS", result.Error);
    }
}

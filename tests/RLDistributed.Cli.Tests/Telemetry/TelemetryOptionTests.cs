using RLDistributed.Cli.Tests.Commands;

namespace RLDistributed.Cli.Tests.Telemetry;

/// <summary>
/// The observability settings are checked at start-up, before anything binds or trains (real processes; the bad
/// flags are cases of <see cref="CommandLineErrorTests"/>).
/// </summary>
public sealed class TelemetryOptionTests
{
    [Fact]
    public async Task Worker_DebugStepDelayEnvironmentNotANumber_NamesTheVariable()
    {
        var result = await RldProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["RLD_DEBUG_STEP_DELAY_MS"] = "slow" },
            "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("RLD_DEBUG_STEP_DELAY_MS", result.Error);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Cli.Tests.Commands;
using RLDistributed.Coordinator;
using RLDistributed.Coordinator.Hosting;

namespace RLDistributed.Cli.Tests.Deploy;

public sealed class RingCheckCommandTests
{
    [Fact]
    public async Task RingCheck_CoordinatorWithoutWorkers_FailsAfterTheTimeoutSayingWhoIsMissing()
    {
        // Arrange: a real coordinator waiting for 2 workers that never come.
        var options = new CoordinatorOptions
        {
            RunId = "run-a", Workers = 2, OptionsJson = "{}", OutputDirectory = Path.GetTempPath(), Host = "127.0.0.1", Port = 0,
        };
        await using var coordinator = await CoordinatorHost.StartAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

        // Act
        var result = await RldProcess.RunAsync("ring-check", "--coordinator", coordinator.Address.ToString(), "--workers", "2", "--run-id", "run-a", "--timeout", "2");

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not done after 2 s", result.Output, StringComparison.Ordinal);
        Assert.Contains("0 of 2 workers joined", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RingCheck_NoCoordinator_FailsSayingItIsUnreachable()
    {
        var result = await RldProcess.RunAsync("ring-check", "--coordinator", "http://127.0.0.1:1", "--workers", "2", "--timeout", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unreachable", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RingCheck_WorkersZero_IsAUsageError()
    {
        var result = await RldProcess.RunAsync("ring-check", "--coordinator", "http://127.0.0.1:1", "--workers", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--workers must be positive", result.Error, StringComparison.Ordinal);
    }
}

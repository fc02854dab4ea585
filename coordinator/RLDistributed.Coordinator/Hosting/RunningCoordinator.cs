using Microsoft.AspNetCore.Builder;
using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Hosting;

/// <summary>A started coordinator: where it listens and when its run ends.</summary>
public sealed class RunningCoordinator(WebApplication app, Uri address, RunState run) : IAsyncDisposable
{
    /// <summary>http://host:port the coordinator serves.</summary>
    public Uri Address { get; } = address;

    /// <summary>Completes with the run's final phase.</summary>
    public Task<RunPhase> Finished => Run.Finished;

    /// <summary>The run's state (for status and tests).</summary>
    public RunState Run { get; } = run;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Give workers a moment to read their last replies before the server goes.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(grace.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Hosting;

namespace RLDistributed.Hosting;

/// <summary>
/// The lifetime of a host that lives inside a command (the coordinator's and the worker's gRPC servers): it
/// leaves SIGTERM and Ctrl-C to the command. The default console lifetime would take those signals, stop only
/// the server and keep the process alive, so a worker told to stop would neither leave its run nor exit.
/// </summary>
public sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

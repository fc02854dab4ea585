using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Coordinator.Hosting;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Rendezvous;

/// <summary>A real coordinator on 127.0.0.1 (any free port, its own output directory) and a real gRPC client.</summary>
internal sealed class CoordinatorFixture : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private CoordinatorFixture(RunningCoordinator coordinator, CoordinatorOptions options)
    {
        Coordinator = coordinator;
        Options = options;
        _channel = GrpcChannel.ForAddress(coordinator.Address);
        Client = new Protos.V1.Coordinator.CoordinatorClient(_channel);
    }

    public RunningCoordinator Coordinator { get; }

    public CoordinatorOptions Options { get; }

    public Protos.V1.Coordinator.CoordinatorClient Client { get; }

    public static async Task<CoordinatorFixture> StartAsync(int workers, TimeSpan? heartbeat = null, TimeProvider? time = null, int minWorkers = 1,
        string? checkpointDirectory = null, int port = 0, string? resumeFrom = null, long resumeStep = 0)
    {
        var options = new CoordinatorOptions
        {
            RunId = "run-a", Workers = workers, OptionsJson = "{\"preset\":{}}", OutputDirectory = Directory.CreateTempSubdirectory("rld-coordinator-out-").FullName,
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(1), MinWorkers = minWorkers, CheckpointDirectory = checkpointDirectory, Port = port,
            ResumeFrom = resumeFrom, ResumeStep = resumeStep,
        };
        var coordinator = await CoordinatorHost.StartAsync(options, NullLoggerFactory.Instance, time ?? TimeProvider.System, CancellationToken.None);
        return new CoordinatorFixture(coordinator, options);
    }

    public static JoinRequest Join(string worker, int port, long heldStep = -1, long generation = 0) => new()
    {
        RunId = "run-a", WorkerId = worker, CollectiveEndpoint = $"127.0.0.1:{port}", DataEndpoint = $"127.0.0.1:{port + 1}",
        HeldStep = heldStep, Generation = generation,
    };

    /// <summary>Joins <paramref name="count"/> workers concurrently and returns their assignments by worker.</summary>
    public async Task<Assignment[]> JoinAllAsync(int count)
    {
        var joins = Enumerable.Range(0, count).Select(i => Client.JoinAsync(Join($"w{i}", 40000 + 10 * i)).ResponseAsync).ToArray();
        return await Task.WhenAll(joins);
    }

    /// <summary>
    /// Polls the status until <paramref name="condition"/> holds, so that a request sent without awaiting its reply
    /// (a join that waits for the rendezvous) is known to have reached the coordinator, however loaded the machine.
    /// </summary>
    public async Task<RunStatus> WaitForStatusAsync(Func<RunStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var status = await Client.GetStatusAsync(new StatusRequest());
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the coordinator's status did not show {what} within 30 s: {status}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Coordinator.DisposeAsync();
        Directory.Delete(Options.OutputDirectory, recursive: true);
    }
}

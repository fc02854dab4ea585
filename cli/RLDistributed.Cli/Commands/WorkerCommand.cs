using System.CommandLine;
using Microsoft.Extensions.Logging;
using RLDistributed.Cli.Hosting;
using RLDistributed.Worker.Coordination;
using RLDistributed.Worker.Hosting;
using RLDistributed.Worker.Telemetry;
using RLDistributed.Core.Telemetry;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld worker --coordinator URL --run-id ID</c>: one worker process (as a container runs it).</summary>
public static class WorkerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var coordinator = new Option<string?>("--coordinator") { Description = "Coordinator address, e.g. http://coordinator:50051 (or Rld:Worker:Coordinator)" };
        var runId = new Option<string?>("--run-id") { Description = "Run to join (or Rld:Worker:RunId)" };
        var workerId = new Option<string?>("--worker-id") { Description = "Stable worker name (default: host-pid)" };
        var host = new Option<string>("--host") { Description = "Address to bind, and advertise to peers unless --advertise-host", DefaultValueFactory = _ => "127.0.0.1" };
        var advertiseHost = new Option<string?>("--advertise-host") { Description = "Name or address peers reach this worker by, e.g. a pod's stable DNS name (or Rld:Worker:AdvertiseHost; default: --host)" };
        var collectivePort = new Option<int>("--collective-port") { Description = "Port of the Collective gRPC service (0: any)", DefaultValueFactory = _ => 0 };
        var dataPort = new Option<int>("--data-port") { Description = "Port of the tcp data plane (0: any)", DefaultValueFactory = _ => 0 };
        var connectTimeout = CommonOptions.Positive<double>("--connect-timeout", "Seconds to keep trying to reach the coordinator (default 60)");
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var metricsPort = new Option<int?>("--metrics-port") { Description = "HTTP/1.1 port of /metrics in Prometheus text (0: any free port; or Rld:Worker:MetricsPort; default: none)" };
        var overlap = new Option<string>("--allreduce-overlap")
        {
            Description = "All-reduce each gradient bucket while the backward computes the rest: true or false (or Rld:Worker:AllReduceOverlap; default false; the same sums either way)",
            DefaultValueFactory = _ => WorkerOptions.DefaultAllReduceOverlap ? "true" : "false",
        };
        overlap.OneOf("true", "false");
        var collectiveDeadline = CommonOptions.Positive<double>("--collective-deadline", "Seconds after which a running all-reduce is reported as stuck (default 120)");
        // A test hook, hidden from help: every step sleeps this long in its compute phase, making this rank a straggler.
        var debugStepDelay = new Option<int?>("--debug-step-delay") { Description = "Test hook: milliseconds of sleep per step (or RLD_DEBUG_STEP_DELAY_MS)", Hidden = true };
        var command = new Command("worker", "Run one training worker: join the coordinator, train your slice, all-reduce with your ring neighbours")
        {
            coordinator, runId, workerId, host, advertiseHost, collectivePort, dataPort, connectTimeout, threads, device, metricsPort, overlap, collectiveDeadline, debugStepDelay,
        };
        var security = new SecurityFlags();
        security.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = RoleSettings.For(parse, WorkerOptions.SectionName);
            var coordinatorText = settings.Require(coordinator, "Coordinator");
            if (!Uri.TryCreate(coordinatorText, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
                throw new CliUsageException("--coordinator", $"'{coordinatorText}' is not an http(s) address");
            var options = new WorkerOptions
            {
                Coordinator = address,
                RunId = settings.Require(runId, "RunId"),
                WorkerId = settings.Find(workerId, "WorkerId") ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                Host = settings.Get(host, "Host"),
                AdvertiseHost = settings.Find(advertiseHost, "AdvertiseHost"),
                CollectivePort = settings.Get(collectivePort, "CollectivePort"),
                DataPort = settings.Get(dataPort, "DataPort"),
                ConnectTimeout = TimeSpan.FromSeconds(parse.GetValue(connectTimeout) ?? 60),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                Resilience = settings.Bind<ResilienceOptions>("Resilience"),
                MetricsPort = settings.Find(metricsPort, "MetricsPort"),
                AllReduceOverlap = Switch(settings, overlap, "AllReduceOverlap"),
                CollectiveDeadline = TimeSpan.FromSeconds(parse.GetValue(collectiveDeadline) ?? 120),
                DebugStepDelay = TimeSpan.FromMilliseconds(parse.GetValue(debugStepDelay) ?? DebugDelayFromEnvironment()),
                Security = security.Read(settings),
            };
            try
            {
                options.Validate();
            }
            catch (System.ComponentModel.DataAnnotations.ValidationException e)
            {
                throw new CliUsageException("worker options", e.Message);
            }
            using var loggers = ServiceLogging.CreateFactory("worker");
            using var telemetry = RoleTelemetry.Providers("worker", WorkerTelemetry.Name, CoreTelemetry.Name);
            await using var observability = await RoleTelemetry.ServeAsync(telemetry, "worker", options.Host, options.MetricsPort, null,
                loggers.CreateLogger("RLDistributed.Worker.Telemetry"), cancellationToken);
            try
            {
                return await new WorkerRunner(options, loggers, TimeProvider.System).RunAsync(cancellationToken);
            }
            catch (CoordinatorConnectionException e)
            {
                Console.Error.WriteLine($"rld: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>A true/false setting given as text (a flag that takes its value, so a misspelt one is named).</summary>
    private static bool Switch(RoleSettings settings, Option<string> option, string key)
    {
        var text = settings.Get(option, key);
        return bool.TryParse(text, out var value) ? value : throw new CliUsageException($"{settings.SectionPath}:{key}", $"'{text}' is not true or false");
    }

    /// <summary>RLD_DEBUG_STEP_DELAY_MS: the test hook's environment form (for workers started by a local cluster).</summary>
    private static int DebugDelayFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("RLD_DEBUG_STEP_DELAY_MS");
        if (string.IsNullOrEmpty(text)) return 0;
        return int.TryParse(text, out var milliseconds) && milliseconds >= 0
            ? milliseconds
            : throw new CliUsageException("RLD_DEBUG_STEP_DELAY_MS", $"'{text}' is not a number of milliseconds");
    }
}

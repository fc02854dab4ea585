using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Cli.Hosting;
using RLDistributed.Coordinator;
using RLDistributed.Coordinator.Hosting;
using RLDistributed.Coordinator.Monitoring;
using RLDistributed.Coordinator.Telemetry;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Core.Presets;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld coordinator --run-id ID --workers N --spec FILE</c>: the coordinator of one run (as a container runs it).</summary>
public static class CoordinatorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var runId = new Option<string?>("--run-id") { Description = "Run id every worker must present (or Rld:Coordinator:RunId)" };
        var workers = new Option<int>("--workers") { Description = "Workers to wait for before the run starts (or Rld:Coordinator:Workers)" };
        var spec = new Option<string?>("--spec") { Description = "Run options as JSON, the run.json that rld train --workers writes (or Rld:Coordinator:Spec)" };
        var output = new Option<string?>("--out") { Description = "Directory where rank 0 writes the model and pictures (or Rld:Coordinator:OutputDirectory)" };
        var transport = new Option<string>("--transport") { Description = "Gradient data plane: tcp or grpc", DefaultValueFactory = _ => "tcp" };
        transport.OneOf("tcp", "grpc");
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to bind (0: any free port)", DefaultValueFactory = _ => 0 };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "Checkpoint volume: rank 0 writes checkpoints there, the coordinator its journal (or Rld:Coordinator:CheckpointDir)" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Override the spec's checkpoint interval in steps (or Rld:Coordinator:CheckpointEvery)" };
        var keep = new Option<int?>("--keep-checkpoints") { Description = "Override how many checkpoints are kept (or Rld:Coordinator:KeepCheckpoints)" };
        var resume = new Option<bool>("--resume") { Description = "Start from the newest valid checkpoint of this run in --checkpoint-dir, if there is one (or Rld:Coordinator:Resume)" };
        var minWorkers = new Option<int>("--min-workers") { Description = "Fail the run when fewer workers remain (or Rld:Coordinator:MinWorkers)", DefaultValueFactory = _ => 1 };
        var maxRestarts = new Option<int>("--max-restarts") { Description = "Worker restarts allowed before the run fails (or Rld:Coordinator:MaxRestarts)", DefaultValueFactory = _ => 10 };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "HTTP/1.1 port of /metrics (Prometheus), /status and the live status page at / (0: any free port; or Rld:Coordinator:MetricsPort; default: none)" };
        var command = new Command("coordinator", "Run the coordinator of one training run: rendezvous, ranks, ring order, step reports, membership changes, checkpoint commits")
        {
            runId, workers, spec, output, transport, host, port, checkpointDir, checkpointEvery, keep, resume, minWorkers, maxRestarts, metricsPort,
        };
        var maxJoins = new Option<int>("--max-joins-per-second") { Description = "Joins accepted in any one second; more get Unavailable and retry (or Rld:Coordinator:MaxJoinsPerSecond)", DefaultValueFactory = _ => 50 };
        command.Options.Add(maxJoins);
        var security = new SecurityFlags();
        security.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = RoleSettings.For(parse, CoordinatorOptions.SectionName);
            var observabilityPort = settings.Find(metricsPort, "MetricsPort");
            if (observabilityPort is < 0 or > 65535) throw new CliUsageException("--metrics-port", $"must be a port in 0..65535 (got {observabilityPort})");
            var specPath = settings.Require(spec, "Spec");
            var runSpec = ReadSpec(specPath);
            runSpec = runSpec with
            {
                CheckpointEvery = settings.Find(checkpointEvery, "CheckpointEvery") ?? runSpec.CheckpointEvery,
                KeepCheckpoints = settings.Find(keep, "KeepCheckpoints") ?? runSpec.KeepCheckpoints,
            };
            if (runSpec.CheckpointEvery < 0) throw new CliUsageException("--checkpoint-every", "must not be negative");
            if (runSpec.KeepCheckpoints < 1) throw new CliUsageException("--keep-checkpoints", "must be at least 1");
            var id = settings.Require(runId, "RunId");
            var checkpoints = settings.Find(checkpointDir, "CheckpointDir") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;
            using var loggers = ServiceLogging.CreateFactory("coordinator");
            using var telemetry = RoleTelemetry.Providers("coordinator", CoordinatorTelemetry.Name);
            var resumeFrom = settings.Get(resume, "Resume") ? FindCheckpoint(checkpoints, id, loggers) : null;
            var options = new CoordinatorOptions
            {
                RunId = id,
                Workers = settings.Get(workers, "Workers"),
                OptionsJson = runSpec.ToJson(),
                Transport = settings.Get(transport, "Transport"),
                OutputDirectory = Path.GetFullPath(settings.Require(output, "OutputDirectory")),
                Host = settings.Get(host, "Host"),
                Port = settings.Get(port, "Port"),
                CheckpointDirectory = checkpoints,
                ResumeFrom = resumeFrom?.Directory,
                ResumeStep = resumeFrom?.State.NextStep ?? 0,
                MinWorkers = settings.Get(minWorkers, "MinWorkers"),
                MaxRestarts = settings.Get(maxRestarts, "MaxRestarts"),
                MaxJoinsPerSecond = settings.Get(maxJoins, "MaxJoinsPerSecond"),
                Security = security.Read(settings),
            };
            RunningCoordinator coordinator;
            try
            {
                coordinator = await CoordinatorHost.StartAsync(options, loggers, TimeProvider.System, cancellationToken);
            }
            catch (ValidationException e)
            {
                throw new CliUsageException("coordinator options", e.Message);
            }
            catch (EndpointBindException e)
            {
                throw new CliUsageException("--port", e.Message);
            }
            await using (coordinator)
            {
                using var metrics = new CoordinatorMetrics(coordinator.Run);
                await using var observability = await RoleTelemetry.ServeAsync(telemetry, "coordinator", options.Host, observabilityPort,
                    routes => StatusEndpoints.Map(routes, coordinator.Run, options.OutputDirectory), loggers.CreateLogger("RLDistributed.Coordinator.Telemetry"), cancellationToken);
                if (observability.Endpoint is { } endpoint) TelemetryLog.StatusPageServed(loggers.CreateLogger("RLDistributed.Coordinator.Telemetry"), endpoint.Address);
                var phase = await coordinator.Finished.WaitAsync(cancellationToken);
                if (phase == RunPhase.Completed) return ExitCodes.Ok;
                // Stay up for a few beats so that every worker hears "stop" (or "the run has ended" when it
                // rejoins) instead of retrying a vanished coordinator as if it were restarting.
                await Task.Delay(options.HeartbeatInterval * options.MissedHeartbeatsBeforeDead, cancellationToken);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static RunSpec ReadSpec(string path)
    {
        if (!File.Exists(path)) throw new CliUsageException("--spec", $"{path}: no such file");
        try
        {
            var spec = RunSpec.FromJson(File.ReadAllText(path));
            if (spec.GradientBucketBytes is { } bucketBytes) new RingAllReduceOptions { BucketBytes = bucketBytes }.Validate();
            return spec;
        }
        catch (JsonException e)
        {
            throw new CliUsageException("--spec", $"{path}: not a run spec: {e.Message}");
        }
        catch (ValidationException e)
        {
            throw new CliUsageException("--spec", $"{path}: GradientBucketBytes is out of range: {e.Message}");
        }
    }

    /// <summary>The newest checkpoint of the run that verifies; the skipped ones are logged with the reason.</summary>
    private static VerifiedCheckpoint? FindCheckpoint(string? directory, string runId, ILoggerFactory loggers)
    {
        if (directory is null) throw new CliUsageException("--resume", "needs --checkpoint-dir (or Rld:Coordinator:CheckpointDir)");
        var logger = loggers.CreateLogger("RLDistributed.Coordinator.Resume");
        var search = new CheckpointStore(directory).FindLatestValid(runId);
        foreach (var skipped in search.Skipped) ResumeLog.Skipped(logger, skipped.FilePath, skipped.Problem);
        if (search.Found is { } found) ResumeLog.Resuming(logger, runId, found.Directory, found.State.NextStep, found.State.WorldSize);
        else ResumeLog.NothingToResume(logger, runId, directory);
        return search.Found;
    }
}

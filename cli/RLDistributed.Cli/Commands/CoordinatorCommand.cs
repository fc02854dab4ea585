using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using RLDistributed.Cli.Hosting;
using RLDistributed.Coordinator;
using RLDistributed.Coordinator.Hosting;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Core.Presets;

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
        var command = new Command("coordinator", "Run the coordinator of one training run: rendezvous, ranks, ring order, step reports")
        {
            runId, workers, spec, output, transport, host, port,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = RoleSettings.For(parse, CoordinatorOptions.SectionName);
            var specPath = settings.Require(spec, "Spec");
            var optionsJson = ReadSpec(specPath);
            var options = new CoordinatorOptions
            {
                RunId = settings.Require(runId, "RunId"),
                Workers = settings.Get(workers, "Workers"),
                OptionsJson = optionsJson,
                Transport = settings.Get(transport, "Transport"),
                OutputDirectory = Path.GetFullPath(settings.Require(output, "OutputDirectory")),
                Host = settings.Get(host, "Host"),
                Port = settings.Get(port, "Port"),
            };
            using var loggers = ServiceLogging.CreateFactory("coordinator");
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
                var phase = await coordinator.Finished.WaitAsync(cancellationToken);
                return phase == RunPhase.Completed ? ExitCodes.Ok : ExitCodes.Failure;
            }
        });
        return command;
    }

    private static string ReadSpec(string path)
    {
        if (!File.Exists(path)) throw new CliUsageException("--spec", $"{path}: no such file");
        var json = File.ReadAllText(path);
        try
        {
            RunSpec.FromJson(json);
        }
        catch (JsonException e)
        {
            throw new CliUsageException("--spec", $"{path}: not a run spec: {e.Message}");
        }
        return json;
    }
}

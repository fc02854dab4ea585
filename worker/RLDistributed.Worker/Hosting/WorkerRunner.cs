using Microsoft.Extensions.Logging;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Hosting;

/// <summary>
/// One worker process from start to end: serve the collective endpoints, join, build the ring, run the
/// SPMD loop while heartbeating and reporting, let rank 0 write the model, leave.
/// </summary>
public sealed class WorkerRunner(WorkerOptions options, ILoggerFactory loggers, TimeProvider time)
{
    private const string StoppedBySignal = "the worker was stopped (SIGTERM or Ctrl-C)";
    private readonly ILogger _logger = loggers.CreateLogger<WorkerRunner>();

    /// <summary>Runs the worker; returns 0 when the run completed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        await using var endpoints = await CollectiveEndpoints.StartAsync(options, loggers, cancellationToken).ConfigureAwait(false);
        await using var link = new CoordinatorLink(options.Coordinator, time);
        var assignment = await link.JoinAsync(new JoinRequest
        {
            RunId = options.RunId,
            WorkerId = options.WorkerId,
            CollectiveEndpoint = endpoints.CollectiveEndpoint,
            DataEndpoint = endpoints.DataEndpoint,
        }, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        WorkerLog.Joined(_logger, assignment.RunId, assignment.Rank, assignment.WorldSize, assignment.Generation, assignment.Transport);

        // Beat from the moment the seat is taken: building the model and the ring can take a while.
        using var stopRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = new HeartbeatLoop(link, options.HeartbeatInterval, time, _logger);
        using var stopHeartbeat = new CancellationTokenSource();
        var beating = heartbeat.RunAsync(assignment.RunId, assignment.Generation, assignment.Rank, stopRun, stopHeartbeat.Token);
        var step = assignment.StartStep;
        try
        {
            return await TrainAsync(link, assignment, endpoints, heartbeat, stopRun, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerStoppedException)
        {
            throw new OperationCanceledException(StoppedBySignal, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM or Ctrl-C before the loop: say so, so that the coordinator ends the run now rather than after missed beats.
            await TryLeaveWithErrorAsync(link, assignment, StoppedBySignal).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            WorkerLog.Failed(_logger, assignment.RunId, assignment.Rank, heartbeat.Step, e.Message);
            await TryLeaveWithErrorAsync(link, assignment, e.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await beating.ConfigureAwait(false);
        }
    }

    private async Task<int> TrainAsync(CoordinatorLink link, Assignment assignment, CollectiveEndpoints endpoints, HeartbeatLoop heartbeat,
        CancellationTokenSource stopRun, CancellationToken cancellationToken)
    {
        var spec = RunSpec.FromJson(assignment.OptionsJson);
        if ((options.Threads ?? spec.ThreadsPerWorker) is { } threads) set_num_threads(threads);
        var device = new Device(options.Device);
        var preset = spec.Preset;
        var training = preset.Training;
        var dataset = DatasetCatalog.Open(preset.Dataset, spec.DataPath, preset.PadTo32, training.Seed);

        using var energy = EnergyModelFactory.Create(preset.Model, training.Seed, device);
        using var ema = EnergyModelFactory.Create(preset.Model, training.Seed, device);
        await using var ring = await endpoints.ConnectRingAsync(assignment, energy, stopRun.Token).ConfigureAwait(false);
        using var core = new Trainer(energy, ema, dataset, training, device);
        var trainer = new DistributedTrainer(core, ring.Reducer, assignment.Rank, assignment.WorldSize, spec.HashEvery);

        var step = assignment.StartStep;
        byte[]? lastHash = null;
        // The report of step k travels while step k+1 computes; a stop in its reply ends the run one step later.
        Task<bool>? pendingReport = null;
        try
        {
            for (; step < training.Steps; step++)
            {
                heartbeat.SetStep(step);
                var done = await trainer.TrainStepAsync(step, stopRun.Token).ConfigureAwait(false);
                lastHash = done.ParameterHash ?? lastHash;
                WorkerLog.StepDone(_logger, assignment.RunId, assignment.Rank, step + 1, done.Statistics.Loss, done.StepSeconds, done.AllReduceSeconds);
                if (pendingReport is not null && await pendingReport.ConfigureAwait(false))
                    throw new OperationCanceledException("the coordinator stopped the run");
                pendingReport = link.ReportAsync(Report(assignment, step, done), stopRun.Token);
            }
            if (pendingReport is not null && await pendingReport.ConfigureAwait(false))
                throw new OperationCanceledException("the coordinator stopped the run");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leave while the ring is still up, so that the coordinator hears the reason before the
            // neighbours see a closed connection.
            await TryLeaveWithErrorAsync(link, assignment, StoppedBySignal).ConfigureAwait(false);
            throw new WorkerStoppedException();
        }
        WorkerLog.Finished(_logger, assignment.RunId, assignment.Rank, step, Convert.ToHexString(lastHash ?? ParameterHash.Of(energy)));
        if (assignment.Rank == 0) WriteOutputs(assignment, preset, dataset, core, device, stopRun.Token);
        await link.LeaveAsync(new LeaveRequest { RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Completed = true }, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private void WriteOutputs(Assignment assignment, TrainingPreset preset, IDataset dataset, Trainer trainer, Device device, CancellationToken cancellationToken)
    {
        var output = assignment.OutputDirectory;
        var model = TrainedModelWriter.SaveModel(output, preset, dataset, trainer.Energy, trainer.Ema, preset.Training.Steps);
        var samples = Path.Combine(output, "samples.png");
        TrainedModelWriter.WriteSamples(samples, preset, dataset, trainer.Ema, trainer.Schedule, device, cancellationToken);
        WorkerLog.ModelWritten(_logger, assignment.RunId, assignment.Rank, model, samples);
    }

    private static StepReport Report(Assignment assignment, long step, DistributedStep done)
    {
        var report = new StepReport
        {
            RunId = assignment.RunId,
            Generation = assignment.Generation,
            Rank = assignment.Rank,
            Step = step + 1,
            Loss = done.Statistics.Loss,
            StepSeconds = done.StepSeconds,
            AllreduceSeconds = done.AllReduceSeconds,
            AllreduceBytes = done.AllReduceBytes,
        };
        report.PositiveEnergySum.AddRange(done.Statistics.PositiveEnergySum);
        report.NegativeEnergySum.AddRange(done.Statistics.NegativeEnergySum);
        report.LevelCount.AddRange(done.Statistics.Count);
        if (done.ParameterHash is { } hash) report.ParameterHash = Google.Protobuf.ByteString.CopyFrom(hash);
        return report;
    }

    private async Task TryLeaveWithErrorAsync(CoordinatorLink link, Assignment assignment, string error)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await link.LeaveAsync(new LeaveRequest { RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Error = error }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException)
        {
            WorkerLog.HeartbeatFailed(_logger, assignment.RunId, assignment.Rank, $"could not report the failure: {e.Message}");
        }
    }
}

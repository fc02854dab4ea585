using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Coordination;
using RLDistributed.Worker.Telemetry;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Hosting;

/// <summary>
/// One worker process from start to end: serve the collective endpoints, join, and then, generation after
/// generation, get the state of the generation's start step (in memory already, from a checkpoint, or from
/// the state source), build the ring, and run the SPMD loop while heartbeating and reporting. When a peer
/// dies or the coordinator re-forms the ring, the unfinished step is dropped and the worker rejoins with the
/// state it holds, without restarting and without reading from disk. Rank 0 writes checkpoints in the
/// background and, at the end, the model.
/// </summary>
public sealed class WorkerRunner(WorkerOptions options, ILoggerFactory loggers, TimeProvider time)
{
    private const string StoppedBySignal = "the worker was stopped (SIGTERM or Ctrl-C)";
    private readonly ILogger _logger = loggers.CreateLogger<WorkerRunner>();
    private readonly WorkerOptions _options = options;
    private readonly TimeProvider _time = time;

    /// <summary>Runs the worker; returns 0 when the run completed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        using var logScope = WorkerLogScope.Run(_logger, _options.RunId, _options.WorkerId);
        await using var endpoints = await CollectiveEndpoints.StartAsync(_options, loggers, cancellationToken).ConfigureAwait(false);
        await using var link = new CoordinatorLink(_options.Coordinator, _time, _options.Resilience, _options.Security);
        using var stopRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = new HeartbeatLoop(link, _options.WorkerId, _options.HeartbeatInterval, _time, _logger);
        using var stopHeartbeat = new CancellationTokenSource();
        var beating = heartbeat.RunAsync(stopRun, stopHeartbeat.Token);
        var session = new Session(this, link, endpoints, heartbeat, stopRun);
        try
        {
            return await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WorkerStoppedException)
        {
            throw new OperationCanceledException(StoppedBySignal, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM or Ctrl-C: say so, so that the coordinator re-forms now rather than after missed beats.
            await session.TryLeaveWithErrorAsync(StoppedBySignal).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not CoordinatorConnectionException)
        {
            WorkerLog.Failed(_logger, session.RunId, session.Rank, heartbeat.Step, e.Message);
            await session.TryLeaveWithErrorAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            session.Dispose();
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await beating.ConfigureAwait(false);
        }
    }

    /// <summary>The state of one worker across generations.</summary>
    private sealed class Session(WorkerRunner owner, CoordinatorLink link, CollectiveEndpoints endpoints, HeartbeatLoop heartbeat, CancellationTokenSource stopRun) : IDisposable
    {
        private readonly WorkerOptions _options = owner._options;
        private readonly ILogger _logger = owner._logger;
        private Assignment? _assignment;
        private RunSpec? _spec;
        private IDataset? _dataset;
        private EnergyNetwork? _energy, _ema;
        private Trainer? _trainer;
        private Device? _device;
        private long _held = -1;

        public string RunId => _assignment?.RunId ?? _options.RunId;

        public int Rank => _assignment?.Rank ?? -1;

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            var fruitless = 0;
            while (true)
            {
                Assignment assignment;
                using (var joinSpan = JoinTelemetry.Begin(_options.WorkerId, _held))
                {
                    assignment = await link.JoinAsync(new JoinRequest
                    {
                        RunId = _options.RunId, WorkerId = _options.WorkerId, CollectiveEndpoint = endpoints.CollectiveEndpoint,
                        DataEndpoint = endpoints.DataEndpoint, Generation = _assignment?.Generation ?? 0, HeldStep = _held,
                    }, _options.ConnectTimeout, stopRun.Token).ConfigureAwait(false);
                    JoinTelemetry.Seated(joinSpan, assignment);
                }
                _assignment = assignment;
                WorkerLog.Joined(_logger, assignment.RunId, assignment.Rank, assignment.WorldSize, assignment.Generation, assignment.Transport);
                using var generation = CancellationTokenSource.CreateLinkedTokenSource(stopRun.Token);
                heartbeat.Enter(assignment, generation);
                var before = _held;
                var outcome = await RunGenerationAsync(assignment, generation, cancellationToken).ConfigureAwait(false);
                if (outcome == GenerationOutcome.Completed) return 0;
                fruitless = _held > before ? 0 : fruitless + 1;
                if (fruitless >= _options.MaxFruitlessGenerations)
                    throw new InvalidOperationException($"{fruitless} generations in a row ended without a completed step");
            }
        }

        private async Task<GenerationOutcome> RunGenerationAsync(Assignment assignment, CancellationTokenSource generation, CancellationToken cancellationToken)
        {
            var trainer = Prepare(assignment);
            RingConnection ring;
            try
            {
                await ObtainStateAsync(assignment, trainer, generation.Token).ConfigureAwait(false);
                if (assignment.Rank == assignment.StateSourceRank && assignment.WorldSize > 1 && assignment.Generation > 1)
                    endpoints.State.Publish(assignment.RunId, assignment.Generation, _held, SnapshotBlob.Pack(TrainingSnapshot.Capture(trainer, _held)));
                ring = await endpoints.ConnectRingAsync(assignment, trainer.Energy, _spec!.GradientBucketBytes, _options.AllReduceOverlap, generation.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRingFailure(e, cancellationToken) || e is Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                // The state source or a neighbour went away while the generation formed: the coordinator re-forms again.
                WorkerLog.GenerationEnded(_logger, assignment.RunId, assignment.Rank, assignment.Generation, _held, $"the generation could not start: {e.Message}", _held);
                return GenerationOutcome.Rejoin;
            }
            await using (ring)
            {
                using var logScope = WorkerLogScope.Generation(_logger, assignment);
                var reducer = new ObservedGradientReducer(ring.Reducer, new CollectiveWatchdog(_options.CollectiveDeadline, owner._time, _logger),
                    assignment.RunId, assignment.Generation, assignment.Rank, assignment.WorldSize);
                var distributed = new DistributedTrainer(trainer, reducer, assignment.Rank, assignment.WorldSize, _spec!.HashEvery) { DebugStepDelay = _options.DebugStepDelay };
                if (_options.DebugStepDelay > TimeSpan.Zero) WorkerLog.DebugStepDelay(_logger, assignment.RunId, assignment.Rank, _options.DebugStepDelay.TotalMilliseconds);
                var reporter = new StepReporter(link.ReportAsync, owner._time, _options.StepReportInterval);
                var checkpoints = assignment.Rank == 0 && assignment.CheckpointDirectory.Length > 0
                    ? new BackgroundCheckpointWriter(new CheckpointStore(assignment.CheckpointDirectory, _spec.KeepCheckpoints), (directory, content) => CommitAsync(assignment, directory, content))
                    : null;
                byte[]? lastHash = null;
                var steps = trainer.Options.Steps;
                try
                {
                    for (var step = _held; step < steps; step++)
                    {
                        heartbeat.SetStep(step);
                        generation.Token.ThrowIfCancellationRequested();
                        using var stepSpan = StepTelemetry.Begin(assignment, step);
                        using var stepScope = WorkerLogScope.Step(_logger, step + 1);
                        var done = await distributed.TrainStepAsync(step, generation.Token).ConfigureAwait(false);
                        StepTelemetry.Record(stepSpan, assignment, done, trainer.Options.GlobalBatch);
                        _held = step + 1;
                        lastHash = done.ParameterHash ?? lastHash;
                        WorkerLog.StepDone(_logger, assignment.RunId, assignment.Rank, step + 1, done.Statistics.Loss, done.StepSeconds, done.AllReduceSeconds);
                        WorkerLog.StepTimings(_logger, assignment.RunId, assignment.Rank, step + 1, done.Statistics.BackwardSeconds, done.Overlap?.CommunicationSeconds ?? done.AllReduceSeconds,
                            done.Overlap?.HiddenSeconds ?? 0, done.Overlap?.WindowSeconds ?? 0, done.AllReduceSeconds, done.Overlap is not null);
                        if (checkpoints is not null && (_held == steps || (_spec.CheckpointEvery > 0 && _held % _spec.CheckpointEvery == 0)))
                            checkpoints.Save(() => CheckpointContents.Capture(trainer, _held, assignment.RunId, assignment.WorldSize, _spec, _dataset!));
                        if (reporter.Send(Report(assignment, step, done), stopRun.Token) is { } ack) Obey(ack, generation);
                    }
                    if (await reporter.DrainAsync().ConfigureAwait(false) is { } last) Obey(last, generation);
                    checkpoints?.Flush();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Leave while the ring is still up, so that the coordinator hears the reason before the
                    // neighbours see a closed connection.
                    await TryLeaveWithErrorAsync(StoppedBySignal).ConfigureAwait(false);
                    throw new WorkerStoppedException();
                }
                catch (OperationCanceledException) when (stopRun.IsCancellationRequested)
                {
                    throw new OperationCanceledException("the coordinator stopped the run");
                }
                catch (Exception e) when (IsRingFailure(e, cancellationToken))
                {
                    var reason = generation.IsCancellationRequested ? "the coordinator re-forms the ring" : e.Message;
                    WorkerLog.GenerationEnded(_logger, assignment.RunId, assignment.Rank, assignment.Generation, heartbeat.Step, reason, _held);
                    checkpoints?.Flush();
                    endpoints.State.Clear();
                    return GenerationOutcome.Rejoin;
                }
                WorkerLog.Finished(_logger, assignment.RunId, assignment.Rank, _held, Convert.ToHexString(lastHash ?? ParameterHash.Of(trainer.Energy)));
                if (assignment.Rank == 0) WriteOutputs(assignment, trainer, stopRun.Token);
                await link.LeaveAsync(new LeaveRequest
                {
                    RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Completed = true, WorkerId = _options.WorkerId, Step = _held,
                }, cancellationToken).ConfigureAwait(false);
                return GenerationOutcome.Completed;
            }
        }

        /// <summary>The trainer, built once from the first assignment's options.</summary>
        private Trainer Prepare(Assignment assignment)
        {
            if (_trainer is not null) return _trainer;
            _spec = RunSpec.FromJson(assignment.OptionsJson);
            if (_spec.GradientBucketBytes is { } bucketBytes) new Collective.RingAllReduceOptions { BucketBytes = bucketBytes }.Validate();
            if ((_options.Threads ?? _spec.ThreadsPerWorker) is { } threads) set_num_threads(threads);
            _device = new Device(_options.Device);
            var preset = _spec.Preset;
            _dataset = DatasetCatalog.Open(preset.Dataset, _spec.DataPath, preset.PadTo32, preset.Training.Seed);
            _energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, _device);
            _ema = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, _device);
            _trainer = new Trainer(_energy, _ema, _dataset, preset.Training, _device);
            _held = 0;
            return _trainer;
        }

        /// <summary>Brings the trainer to the generation's start step: already there, from a checkpoint, or from the state source.</summary>
        private async Task ObtainStateAsync(Assignment assignment, Trainer trainer, CancellationToken cancellationToken)
        {
            if (assignment.ResumeFrom.Length > 0 && _held != assignment.StartStep)
            {
                var checkpoint = CheckpointVerifier.Verify(assignment.ResumeFrom, assignment.RunId);
                checkpoint.ReadSnapshot().RestoreInto(trainer, checkpoint.Directory);
                _held = checkpoint.State.NextStep;
                WorkerLog.Resumed(_logger, assignment.RunId, assignment.Rank, checkpoint.Directory, _held);
            }
            else if (assignment.FetchState)
            {
                var clock = Stopwatch.StartNew();
                var source = assignment.Peers.Single(p => p.Rank == assignment.StateSourceRank);
                var request = new StateRequest { RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Step = assignment.StartStep };
                var (snapshot, bytes) = await StateFetcher.FetchAsync(source, request, link.Pipelines, _options.Security, cancellationToken).ConfigureAwait(false);
                if (snapshot.NextStep != assignment.StartStep)
                    throw new InvalidDataException($"rank {source.Rank} sent the state of step {snapshot.NextStep}, not {assignment.StartStep}");
                snapshot.RestoreInto(trainer, $"rank {source.Rank}");
                _held = snapshot.NextStep;
                WorkerLog.StateFetched(_logger, assignment.RunId, assignment.Rank, _held, source.Rank, bytes, clock.Elapsed.TotalSeconds);
            }
            if (_held != assignment.StartStep)
                throw new InvalidOperationException($"generation {assignment.Generation} starts at step {assignment.StartStep}, but this worker holds step {_held} and was given no way to get there");
        }

        private async Task CommitAsync(Assignment assignment, string directory, CheckpointContent content)
        {
            WorkerLog.CheckpointDurable(_logger, assignment.RunId, content.Snapshot.NextStep, directory);
            try
            {
                await link.CommitAsync(new CheckpointCommit
                {
                    RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Step = content.Snapshot.NextStep, Directory = directory,
                }, stopRun.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                // The checkpoint is durable either way; a restarted coordinator finds it on the volume.
                WorkerLog.CommitFailed(_logger, assignment.RunId, content.Snapshot.NextStep, e.Message);
            }
        }

        private void Obey(StepAck ack, CancellationTokenSource generation)
        {
            if (ack.Stop) stopRun.Cancel();
            else if (ack.Reform) generation.Cancel();
        }

        private void WriteOutputs(Assignment assignment, Trainer trainer, CancellationToken cancellationToken)
        {
            var output = assignment.OutputDirectory;
            var preset = _spec!.Preset;
            var model = TrainedModelWriter.SaveModel(output, preset, _dataset!, trainer.Energy, trainer.Ema, preset.Training.Steps);
            var samples = Path.Combine(output, "samples.png");
            // An image preset's picture takes minutes on a CPU: the log says how far it has come.
            TrainedModelWriter.WriteSamples(samples, preset, _dataset!, trainer.Ema, trainer.Schedule, _device!, cancellationToken,
                progress => WorkerLog.DrawingSamples(_logger, assignment.RunId, assignment.Rank, preset.SampleCount, samples, progress.LevelsDone, progress.Levels));
            WorkerLog.ModelWritten(_logger, assignment.RunId, assignment.Rank, model, samples);
        }

        /// <summary>A failure of the ring or of the generation, after which rejoining is the remedy (not a stop, not a bug in the math).</summary>
        private bool IsRingFailure(Exception e, CancellationToken cancellationToken) =>
            !cancellationToken.IsCancellationRequested && !stopRun.IsCancellationRequested
            && e is not TrainingDivergedException and not WorkerStoppedException and not CheckpointException
            and (IOException or System.Net.Sockets.SocketException or Collective.CollectiveProtocolException or Grpc.Core.RpcException
                or OperationCanceledException or TimeoutException or InvalidDataException or ObjectDisposedException);

        private static StepReport Report(Assignment assignment, long step, DistributedStep done)
        {
            var report = new StepReport
            {
                RunId = assignment.RunId, Generation = assignment.Generation, Rank = assignment.Rank, Step = step + 1, Loss = done.Statistics.Loss,
                StepSeconds = done.StepSeconds, AllreduceSeconds = done.AllReduceSeconds, AllreduceBytes = done.AllReduceBytes,
            };
            report.PositiveEnergySum.AddRange(done.Statistics.PositiveEnergySum);
            report.NegativeEnergySum.AddRange(done.Statistics.NegativeEnergySum);
            report.LevelCount.AddRange(done.Statistics.Count);
            if (done.ParameterHash is { } hash) report.ParameterHash = Google.Protobuf.ByteString.CopyFrom(hash);
            return report;
        }

        public async Task TryLeaveWithErrorAsync(string error)
        {
            if (_assignment is null) return;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await link.LeaveAsync(new LeaveRequest
                {
                    RunId = _assignment.RunId, Generation = _assignment.Generation, Rank = _assignment.Rank, Error = error, WorkerId = _options.WorkerId,
                }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                WorkerLog.HeartbeatFailed(_logger, _assignment.RunId, _assignment.Rank, $"could not report the failure: {e.Message}");
            }
        }

        public void Dispose()
        {
            _trainer?.Dispose();
            _energy?.Dispose();
            _ema?.Dispose();
        }
    }

    private enum GenerationOutcome
    {
        Completed,
        Rejoin,
    }
}

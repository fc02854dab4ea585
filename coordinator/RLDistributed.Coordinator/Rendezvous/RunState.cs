using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Coordinator.Checkpointing;
using RLDistributed.Coordinator.Monitoring;
using RLDistributed.Coordinator.Telemetry;
using RLDistributed.Hosting.Telemetry;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// The coordinator's whole state: membership, generation, phase, commits and the combined step reports.
/// Every request is checked against it (run id, generation, rank) before it changes anything; a bad one gets a
/// gRPC status that says what is wrong and leaves the run as it was.
/// Membership changes (a worker silent for 3 beats, a worker whose collective failed and who rejoins, a worker
/// that leaves with an error, a new or restarted worker) bump the generation: the others are told to rejoin
/// at their next step boundary, and when every live member has, the ring is re-formed. The member holding the
/// newest state becomes rank 0 and the state source; the others fetch its state if they are behind, so the
/// unfinished step is redone at the new world size with the same global batch. All members are guarded by
/// one lock: the state is small and requests are few (a handful per step).
/// </summary>
public sealed class RunState : IDisposable
{
    /// <summary>Combined steps are logged every this many steps (and the first), to keep a long run's log readable.</summary>
    private const long StepLogInterval = 50;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RunState> _logger;
    private readonly CoordinatorJournal? _journal;
    private readonly Lock _gate = new();
    private readonly List<Member> _members = [];
    private readonly TaskCompletionSource<RunPhase> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StepLedger _ledger;
    private readonly JoinRateGate _joins;
    private TaskCompletionSource<IReadOnlyDictionary<string, Assignment>> _nextGeneration = NewGeneration();
    private long _generation;
    private RunPhase _phase = RunPhase.Waiting;
    private DateTimeOffset? _waitingSince;
    private string _error = "";
    private int _membershipChanges, _restarts;
    private (long Step, string Directory)? _lastCommit;

    /// <summary>Builds the state; with a journal of this run on the checkpoint volume, continues that run.</summary>
    public RunState(CoordinatorOptions options, TimeProvider time, ILogger<RunState> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _ledger = new StepLedger(options.Workers);
        Observer = new RunObserver(options.RunId, time, logger);
        Metrics = new StepMetricsFile(options.OutputDirectory, time, reason => CoordinatorLog.MetricsFileFailed(logger, options.RunId, reason));
        _joins = new JoinRateGate(options.MaxJoinsPerSecond, time);
        if (!string.IsNullOrEmpty(options.ResumeFrom)) _lastCommit = (options.ResumeStep, options.ResumeFrom);
        if (!string.IsNullOrEmpty(options.CheckpointDirectory))
        {
            _journal = new CoordinatorJournal(options.CheckpointDirectory);
            Recover(_journal.Read(options.RunId));
        }
        // The steps the checkpoint holds are done: the status (progress bars, the step gauge) starts there, not at 0.
        if (_lastCommit is { } resumed) _ledger.DoneThrough(resumed.Step);
    }

    /// <summary>The training as the status page and the metrics see it (loss curve, ranks' step times, stragglers).</summary>
    public RunObserver Observer { get; }

    /// <summary>The run's metrics.jsonl: a line per combined step, as <c>rld train</c> writes in one process.</summary>
    private StepMetricsFile Metrics { get; }

    /// <summary>Completes with Completed or Failed when the run ends.</summary>
    public Task<RunPhase> Finished => _finished.Task;

    /// <summary>Seats a worker in the generation being formed, waits until it is formed, and returns the seat.</summary>
    public async Task<Assignment> JoinAsync(JoinRequest request, CancellationToken cancellationToken)
    {
        CheckRun(request.RunId);
        RequestLimits.Check(request);
        Require(request.WorkerId, "worker_id");
        RequireEndpoint(request.CollectiveEndpoint, "collective_endpoint");
        RequireEndpoint(request.DataEndpoint, "data_endpoint");
        if (!_joins.TryEnter())
            throw new RpcException(new Status(StatusCode.Unavailable, $"more than {_options.MaxJoinsPerSecond} joins in the last second; retry"));
        Task<IReadOnlyDictionary<string, Assignment>> formed;
        lock (_gate)
        {
            if (_phase is RunPhase.Completed or RunPhase.Failed)
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"run {_options.RunId} has ended ({_phase})"));
            var member = _members.Find(m => m.WorkerId == request.WorkerId);
            if (member is null || !member.Active)
            {
                if (_members.Count(m => m.Active && !m.Provisional) >= _options.Workers)
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, $"run {_options.RunId} is full ({_options.Workers} workers)"));
                // Workers named by the journal that have not come back give their seats to new ones.
                foreach (var absent in _members.Where(m => m.Active && m.Provisional && !m.Rejoined).Take(Math.Max(0, _members.Count(m => m.Active) + 1 - _options.Workers)).ToList())
                    absent.Dead = true;
                if (member is null)
                {
                    member = new Member(request.WorkerId, request.CollectiveEndpoint, request.DataEndpoint, _time.GetUtcNow());
                    _members.Add(member);
                }
                else
                {
                    _restarts++;
                    member.Dead = member.Left = false;
                    if (_restarts > _options.MaxRestarts)
                        Fail($"worker {member.WorkerId} restarted; {_restarts} restarts exceed the limit of {_options.MaxRestarts}");
                }
                CoordinatorLog.WorkerJoined(_logger, _options.RunId, request.WorkerId, _members.Count(m => m.Active), _options.Workers);
                if (_phase == RunPhase.Running) BeginReform($"worker {request.WorkerId} joined");
            }
            else if (_phase == RunPhase.Running && member.Rank >= 0)
            {
                BeginReform($"worker {request.WorkerId} (rank {member.Rank}) left the ring of generation {_generation} and rejoined");
            }
            member.Provisional = false;
            member.CollectiveEndpoint = request.CollectiveEndpoint;
            member.DataEndpoint = request.DataEndpoint;
            member.HeldStep = request.HeldStep;
            member.Rejoined = true;
            member.LastSeen = _time.GetUtcNow();
            _waitingSince ??= _time.GetUtcNow();
            formed = _nextGeneration.Task;
            TrySettle();
        }
        using var span = CoordinatorTelemetry.Source.StartActivity("rendezvous");
        span?.SetTag("rld.run_id", request.RunId);
        span?.SetTag("rld.worker_id", request.WorkerId);
        span?.SetTag("rld.held_step", request.HeldStep);
        var seats = await formed.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!seats.TryGetValue(request.WorkerId, out var seat))
            throw new RpcException(new Status(StatusCode.Aborted, $"worker {request.WorkerId} was not seated in the new generation"));
        span?.SetTag("rld.generation", seat.Generation);
        span?.SetTag("rld.rank", seat.Rank);
        span?.SetTag("rld.world_size", seat.WorldSize);
        return seat;
    }

    /// <summary>Records a beat; the reply says whether to stop, and whether to rejoin a new generation.</summary>
    public HeartbeatReply Heartbeat(HeartbeatRequest beat)
    {
        RequestLimits.Check(beat);
        lock (_gate)
        {
            var member = Find(beat.RunId, beat.Generation, beat.Rank, beat.WorkerId);
            if (member is null) return new HeartbeatReply { Generation = _generation, Stop = _phase == RunPhase.Failed, Reform = true };
            member.LastSeen = _time.GetUtcNow();
            member.LastStep = Math.Max(member.LastStep, beat.Step);
            return new HeartbeatReply { Generation = _generation, Stop = _phase == RunPhase.Failed, Reform = MustRejoin(member, beat.Generation) };
        }
    }

    /// <summary>Adds a rank's report of a step (reports of an old generation are acknowledged and dropped).</summary>
    public StepAck Report(StepReport report)
    {
        RequestLimits.Check(report);
        using var span = CoordinatorTelemetry.Source.StartActivity("step.report");
        span?.SetTag("rld.step", report.Step);
        span?.SetTag("rld.rank", report.Rank);
        span?.SetTag("rld.generation", report.Generation);
        lock (_gate)
        {
            var member = Find(report.RunId, report.Generation, report.Rank, workerId: "");
            if (member is null || MustRejoin(member, report.Generation)) return new StepAck { Stop = _phase == RunPhase.Failed, Reform = true };
            member.LastSeen = _time.GetUtcNow();
            member.LastStep = Math.Max(member.LastStep, report.Step);
            var outcome = _ledger.Add(report);
            if (outcome.Combined is { } combined)
            {
                Observer.StepCombined(combined.Step, combined.Loss, combined.Reports);
                Metrics.Append(combined.Step, combined.Loss, LevelGaps.Of(combined.Reports));
                span?.SetTag("rld.combined", true);
            }
            if (outcome.HashMismatch is { } mismatch) Fail(mismatch);
            else if (outcome.Combined is { } step && (step.Step % StepLogInterval == 0 || step.Step == 1))
                CoordinatorLog.StepCombined(_logger, _options.RunId, step.Step, step.Loss, step.Seconds);
            return new StepAck { Stop = _phase == RunPhase.Failed };
        }
    }

    /// <summary>
    /// Adds several reports in order, as <see cref="Report(StepReport)"/> would one by one; every report is checked
    /// first, so a malformed one refuses the call before any is added. The reply asks for the strongest thing any
    /// report's reply asked for.
    /// </summary>
    public StepAck Report(StepReports batch)
    {
        RequestLimits.Check(batch);
        var reply = new StepAck();
        foreach (var report in batch.Reports)
        {
            var ack = Report(report);
            reply.Stop |= ack.Stop;
            reply.Reform |= ack.Reform;
        }
        return reply;
    }

    /// <summary>Rank 0's checkpoint is durable: journal the commit.</summary>
    public void Commit(CheckpointCommit commit)
    {
        RequestLimits.Check(commit);
        Require(commit.Directory, "directory", 4096);
        using var span = CoordinatorTelemetry.Source.StartActivity("checkpoint.commit");
        span?.SetTag("rld.step", commit.Step);
        span?.SetTag("rld.checkpoint.directory", commit.Directory);
        lock (_gate)
        {
            // A checkpoint written in a generation that has since been replaced is still durable and valid.
            if (Find(commit.RunId, commit.Generation, commit.Rank, workerId: "") is not null && commit.Rank != 0)
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"only rank 0 commits checkpoints, not rank {commit.Rank}"));
            if (_lastCommit is { } last && last.Step > commit.Step) return;
            _lastCommit = (commit.Step, commit.Directory);
            _journal?.Append(new JournalEntry { Kind = "commit", RunId = _options.RunId, Generation = _generation, Step = commit.Step, Directory = commit.Directory, Utc = _time.GetUtcNow() });
            CoordinatorLog.CheckpointCommitted(_logger, _options.RunId, commit.Step, commit.Directory);
        }
    }

    /// <summary>A rank leaves: the run completes when every rank has left after finishing; one that leaves with an error is dropped from the ring.</summary>
    public void Leave(LeaveRequest request)
    {
        RequestLimits.Check(request);
        lock (_gate)
        {
            var member = Find(request.RunId, request.Generation, request.Rank, request.WorkerId);
            if (member is null) return; // an old generation's rank, without a name: nothing to change
            CoordinatorLog.WorkerLeft(_logger, _options.RunId, member.Rank, request.Completed, request.Error);
            if (!request.Completed)
            {
                member.Left = true;
                LoseMember(member, $"rank {member.Rank} ({member.WorkerId}) failed: {request.Error}");
                return;
            }
            if (request.Generation != _generation) return; // it finished in a generation that no longer exists: it rejoins
            member.Left = true;
            member.Completed = true;
            member.LastStep = Math.Max(member.LastStep, request.Step);
            var seated = _members.Where(m => m.Rank >= 0).ToList();
            if (_phase == RunPhase.Running && seated.All(m => m.Completed))
            {
                _phase = RunPhase.Completed;
                // From the ranks' own word: the ledger lags when the last steps' reports were skipped or lost.
                _ledger.DoneThrough(seated.Min(m => m.LastStep));
                var lastStep = _ledger.LastStep;
                _journal?.Append(new JournalEntry { Kind = "completed", RunId = _options.RunId, Generation = _generation, Step = lastStep, Utc = _time.GetUtcNow() });
                CoordinatorLog.RunCompleted(_logger, _options.RunId, lastStep);
                _finished.TrySetResult(RunPhase.Completed);
            }
        }
    }

    /// <summary>Declares silent members dead and fails a rendezvous that waits too long (called periodically).</summary>
    public void CheckLiveness()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_phase is RunPhase.Completed or RunPhase.Failed) return;
            if (_phase is RunPhase.Waiting or RunPhase.Reforming && _waitingSince is { } since && now - since > _options.RendezvousTimeout)
            {
                Fail($"rendezvous timed out: {_members.Count(m => m.Active && m.Rejoined)} of {_options.Workers} workers joined within {_options.RendezvousTimeout.TotalSeconds:0.#} s");
                return;
            }
            if (_phase == RunPhase.Waiting) return;
            var limit = _options.HeartbeatInterval * _options.MissedHeartbeatsBeforeDead;
            // While the ring re-forms, every live member is either rejoining or beating every interval: one that
            // has missed two beats is taken for the cause of the failed collective, which saves a second of stall.
            var reformLimit = _options.HeartbeatInterval * Math.Min(2, _options.MissedHeartbeatsBeforeDead);
            foreach (var silent in _members.Where(m => m.Active && !m.Completed && !m.Provisional
                && now - m.LastSeen > (_phase == RunPhase.Reforming && !m.Rejoined ? reformLimit : limit)).ToList())
            {
                silent.Dead = true;
                var missed = now - silent.LastSeen > limit ? _options.MissedHeartbeatsBeforeDead : 2;
                LoseMember(silent, $"rank {silent.Rank} ({silent.WorkerId}) missed {missed} heartbeats (silent for {(now - silent.LastSeen).TotalSeconds:0.#} s)");
            }
            // Members named by a restarted coordinator's journal get the full window to come back.
            foreach (var absent in _members.Where(m => m.Active && m.Provisional && now - m.LastSeen > limit).ToList())
            {
                absent.Dead = true;
                LoseMember(absent, $"worker {absent.WorkerId} did not come back within {limit.TotalSeconds:0.#} s of the coordinator's restart");
            }
            if (_phase == RunPhase.Reforming) TrySettle();
        }
    }

    /// <summary>A snapshot for GetStatus.</summary>
    public RunStatus Status()
    {
        lock (_gate)
        {
            var status = new RunStatus
            {
                RunId = _options.RunId, Generation = _generation, WorldSize = _members.Count(m => m.Rank >= 0 && m.Active) is var n && n > 0 ? n : _options.Workers,
                State = _phase.ToString().ToLowerInvariant(), LastStep = _ledger.LastStep, LastLoss = _ledger.LastLoss, Error = _error,
                MedianStepSeconds = _ledger.MedianStepSeconds, MembershipChanges = _membershipChanges, Restarts = _restarts,
                LastCheckpointStep = _lastCommit?.Step ?? 0, LastCheckpointDirectory = _lastCommit?.Directory ?? "",
            };
            status.RecentSteps.AddRange(_ledger.RecentSteps);
            var limit = _options.HeartbeatInterval * _options.MissedHeartbeatsBeforeDead;
            status.Workers.AddRange(_members.Where(m => !m.Dead).Select(m => new WorkerStatus
            {
                Rank = m.Rank, WorkerId = m.WorkerId, LastStep = m.LastStep, Left = m.Left,
                Alive = !m.Left && _time.GetUtcNow() - m.LastSeen <= limit,
            }));
            return status;
        }
    }

    private void Recover(IReadOnlyList<JournalEntry> entries)
    {
        var lastGeneration = entries.LastOrDefault(e => e.Kind == "generation");
        if (entries.LastOrDefault(e => e.Kind == "commit") is { } commit && (_lastCommit is null || commit.Step > _lastCommit.Value.Step))
            _lastCommit = (commit.Step, commit.Directory);
        if (lastGeneration is null) return;
        // A run that completed is continued (with --resume and more steps) by a fresh rendezvous, not a recovery.
        if (entries[^1].Kind == "completed")
        {
            _generation = lastGeneration.Generation;
            return;
        }
        // The run was under way when this coordinator (re)started: its workers keep training and rejoin when
        // their next beat is answered with "reform"; each gets the usual liveness window to do so.
        _generation = lastGeneration.Generation;
        _phase = RunPhase.Reforming;
        _waitingSince = _time.GetUtcNow();
        foreach (var id in lastGeneration.Members)
            _members.Add(new Member(id, "", "", _time.GetUtcNow()) { Rank = -1, Provisional = true });
        CoordinatorLog.Recovered(_logger, _options.RunId, _generation, lastGeneration.Members.Count, _lastCommit?.Step ?? -1);
    }

    private bool MustRejoin(Member member, long generation) => _phase == RunPhase.Reforming ? !member.Rejoined : generation < _generation;

    /// <summary>A member is gone: re-form without it, or fail when too few would remain.</summary>
    private void LoseMember(Member member, string reason)
    {
        if (_phase is RunPhase.Completed or RunPhase.Failed) return;
        member.Rejoined = false;
        var remaining = _members.Count(m => m.Active);
        if (_phase == RunPhase.Waiting)
        {
            _members.Remove(member);
            return;
        }
        if (remaining < _options.MinWorkers)
        {
            Fail($"{reason}; {remaining} worker(s) remain, fewer than the minimum of {_options.MinWorkers}");
            return;
        }
        if (_phase == RunPhase.Running) BeginReform(reason);
        else CoordinatorLog.MembershipChange(_logger, _options.RunId, _generation, reason);
    }

    private void BeginReform(string reason)
    {
        _phase = RunPhase.Reforming;
        _membershipChanges++;
        _waitingSince = _time.GetUtcNow();
        foreach (var member in _members) member.Rejoined = false;
        CoordinatorLog.MembershipChange(_logger, _options.RunId, _generation, reason);
        using var span = CoordinatorTelemetry.Source.StartActivity("membership.change");
        span?.SetTag("rld.generation", _generation);
        span?.SetTag("rld.reason", reason);
        span?.SetTag("rld.membership_changes", _membershipChanges);
    }

    /// <summary>Forms the next generation once every live member has asked for a seat.</summary>
    private void TrySettle()
    {
        var active = _members.Where(m => m.Active).ToList();
        var joined = active.Where(m => m.Rejoined).ToList();
        var complete = _phase == RunPhase.Waiting
            ? joined.Count == _options.Workers
            : joined.Count == _options.Workers || (joined.Count == active.Count && joined.Count >= _options.MinWorkers);
        if (!complete || joined.Count == 0) return;
        foreach (var absent in active.Where(m => !m.Rejoined)) absent.Dead = true;

        // The newest state leads: it becomes rank 0 and the state source; the rest keep their ring order.
        var source = joined.OrderByDescending(m => m.HeldStep).ThenBy(m => m.Rank < 0 ? int.MaxValue : m.Rank).First();
        var order = new List<Member> { source };
        order.AddRange(joined.Where(m => m != source).OrderBy(m => m.Rank < 0 ? int.MaxValue : m.Rank).ThenBy(m => _members.IndexOf(m)));
        var held = source.HeldStep;
        var resumeFrom = "";
        long startStep;
        if (held >= 0) startStep = held;
        else if (_lastCommit is { } commit)
        {
            startStep = commit.Step;
            resumeFrom = commit.Directory;
        }
        else startStep = 0;

        _generation++;
        foreach (var member in _members) member.Rank = -1;
        for (var rank = 0; rank < order.Count; rank++)
        {
            order[rank].Rank = rank;
            order[rank].Rejoined = false;
            order[rank].LastSeen = _time.GetUtcNow();
        }
        var seats = new Dictionary<string, Assignment>();
        foreach (var member in order)
        {
            var seat = new Assignment
            {
                RunId = _options.RunId, Generation = _generation, Rank = member.Rank, WorldSize = order.Count, OptionsJson = _options.OptionsJson,
                StartStep = startStep, Transport = _options.Transport, OutputDirectory = _options.OutputDirectory,
                CheckpointDirectory = _options.CheckpointDirectory ?? "", ResumeFrom = resumeFrom,
                FetchState = held >= 0 && member.HeldStep != held, StateSourceRank = 0,
            };
            seat.Peers.AddRange(order.Select(m => new Peer { Rank = m.Rank, WorkerId = m.WorkerId, CollectiveEndpoint = m.CollectiveEndpoint, DataEndpoint = m.DataEndpoint }));
            seats.Add(member.WorkerId, seat);
        }
        _ledger.Reset(order.Count);
        _journal?.Append(new JournalEntry { Kind = "generation", RunId = _options.RunId, Generation = _generation, Members = [.. order.Select(m => m.WorkerId)], Utc = _time.GetUtcNow() });
        if (_phase == RunPhase.Waiting) CoordinatorLog.RendezvousComplete(_logger, _options.RunId, order.Count);
        CoordinatorLog.GenerationFormed(_logger, _options.RunId, _generation, order.Count, startStep, source.WorkerId, resumeFrom);
        _phase = RunPhase.Running;
        _waitingSince = null;
        var formed = _nextGeneration;
        _nextGeneration = NewGeneration();
        formed.TrySetResult(seats);
    }

    private void Fail(string reason)
    {
        if (_phase is RunPhase.Completed or RunPhase.Failed) return;
        _phase = RunPhase.Failed;
        _error = reason;
        CoordinatorLog.RunFailed(_logger, _options.RunId, reason);
        _nextGeneration.TrySetException(new RpcException(new Status(StatusCode.Aborted, reason)));
        _finished.TrySetResult(RunPhase.Failed);
    }

    /// <summary>
    /// The member a request speaks for: by worker id when given (beats of an old generation still find their
    /// worker), else by rank in the current generation; null for a rank of an old generation, which no longer
    /// names anyone (the caller tells it to rejoin). A generation from the future, an unknown worker or a
    /// rank out of range is refused.
    /// </summary>
    private Member? Find(string runId, long generation, int rank, string workerId)
    {
        CheckRun(runId);
        if (generation > _generation || generation < 0)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"stale generation {generation}; the current generation is {_generation}"));
        if (!string.IsNullOrEmpty(workerId))
        {
            return _members.Find(m => m.WorkerId == workerId)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"worker {workerId} is not a member of run {_options.RunId}"));
        }
        var seated = _members.Count(m => m.Rank >= 0);
        if (rank < 0 || rank >= Math.Max(seated, 1))
            throw new RpcException(new Status(StatusCode.OutOfRange, $"rank {rank} is outside [0, {seated})"));
        return generation < _generation ? null : _members.Find(m => m.Rank == rank);
    }

    private void CheckRun(string runId)
    {
        if (runId != _options.RunId)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"this coordinator serves run '{_options.RunId}', not '{runId}'"));
    }

    private static void Require(string value, string field, int maxLength = 256)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be 1–{maxLength} characters"));
    }

    private static void RequireEndpoint(string value, string field)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} '{value}' is not host:port"));
    }

    private static TaskCompletionSource<IReadOnlyDictionary<string, Assignment>> NewGeneration() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate) Metrics.Dispose();
    }
}

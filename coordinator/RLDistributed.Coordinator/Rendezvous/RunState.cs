using Grpc.Core;
using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// The coordinator's whole state: membership, phase, and the combined step reports. Every request is checked
/// against it (run id, generation, rank) before it changes anything; a bad one gets a gRPC status that says
/// what is wrong and leaves the run as it was. All members are guarded by one lock: the state is small and
/// requests are few (a handful per step).
/// </summary>
public sealed class RunState(CoordinatorOptions options, TimeProvider time, ILogger<RunState> logger)
{
    private const long Generation = 1;

    /// <summary>Combined steps are logged every this many steps (and the first), to keep a long run's log readable.</summary>
    private const long StepLogInterval = 50;
    private readonly Lock _gate = new();
    private readonly List<Member> _members = [];
    private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<RunPhase> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StepLedger _ledger = new(options.Workers);
    private RunPhase _phase = RunPhase.Waiting;
    private DateTimeOffset? _firstJoin;
    private string _error = "";

    /// <summary>Completes with Completed or Failed when the run ends.</summary>
    public Task<RunPhase> Finished => _finished.Task;

    /// <summary>Seats a worker, then waits until every seat is taken and returns its assignment.</summary>
    public async Task<Assignment> JoinAsync(JoinRequest request, CancellationToken cancellationToken)
    {
        CheckRun(request.RunId);
        Require(request.WorkerId, "worker_id");
        RequireEndpoint(request.CollectiveEndpoint, "collective_endpoint");
        RequireEndpoint(request.DataEndpoint, "data_endpoint");
        Member seat;
        lock (_gate)
        {
            if (_phase is RunPhase.Completed or RunPhase.Failed)
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"run {options.RunId} has ended ({_phase})"));
            var known = _members.Find(m => m.WorkerId == request.WorkerId);
            if (known is not null) seat = known;
            else if (_members.Count >= options.Workers)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"run {options.RunId} is full ({options.Workers} workers)"));
            else
            {
                // Ranks in join order; the ring is rank order.
                seat = new Member(_members.Count, request.WorkerId, request.CollectiveEndpoint, request.DataEndpoint, time.GetUtcNow());
                _firstJoin ??= time.GetUtcNow();
                _members.Add(seat);
                CoordinatorLog.WorkerJoined(logger, options.RunId, request.WorkerId, seat.Rank, _members.Count, options.Workers);
                if (_members.Count == options.Workers)
                {
                    _phase = RunPhase.Running;
                    foreach (var member in _members) member.LastSeen = time.GetUtcNow();
                    CoordinatorLog.RendezvousComplete(logger, options.RunId, options.Workers);
                    _full.TrySetResult();
                }
            }
        }
        await _full.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return AssignmentFor(seat);
    }

    /// <summary>Records a beat; returns true when the worker should stop.</summary>
    public bool Heartbeat(HeartbeatRequest beat)
    {
        lock (_gate)
        {
            var member = Check(beat.RunId, beat.Generation, beat.Rank);
            member.LastSeen = time.GetUtcNow();
            member.LastStep = Math.Max(member.LastStep, beat.Step);
            return _phase == RunPhase.Failed;
        }
    }

    /// <summary>Adds a rank's report of a step; returns true when the run must stop.</summary>
    public bool Report(StepReport report)
    {
        lock (_gate)
        {
            var member = Check(report.RunId, report.Generation, report.Rank);
            member.LastSeen = time.GetUtcNow();
            member.LastStep = Math.Max(member.LastStep, report.Step);
            var outcome = _ledger.Add(report);
            if (outcome.HashMismatch is { } mismatch) Fail(mismatch);
            else if (outcome.Combined is { } step && (step.Step % StepLogInterval == 0 || step.Step == 1))
                CoordinatorLog.StepCombined(logger, options.RunId, step.Step, step.Loss, step.Seconds);
            return _phase == RunPhase.Failed;
        }
    }

    /// <summary>A rank leaves: the run completes when every rank has left after finishing, fails when one leaves with an error.</summary>
    public void Leave(LeaveRequest request)
    {
        lock (_gate)
        {
            var member = Check(request.RunId, request.Generation, request.Rank);
            member.Left = true;
            member.Completed = request.Completed;
            CoordinatorLog.WorkerLeft(logger, options.RunId, member.Rank, request.Completed, request.Error);
            if (!request.Completed) Fail($"rank {member.Rank} ({member.WorkerId}) failed: {request.Error}");
            else if (_members.Count == options.Workers && _members.All(m => m.Completed) && _phase == RunPhase.Running)
            {
                _phase = RunPhase.Completed;
                CoordinatorLog.RunCompleted(logger, options.RunId, _ledger.LastStep);
                _finished.TrySetResult(RunPhase.Completed);
            }
        }
    }

    /// <summary>Fails the run when a member has been silent for too long (called periodically).</summary>
    public void CheckLiveness()
    {
        lock (_gate)
        {
            if (_phase == RunPhase.Waiting && _firstJoin is { } first && time.GetUtcNow() - first > options.RendezvousTimeout)
                Fail($"rendezvous timed out: {_members.Count} of {options.Workers} workers joined within {options.RendezvousTimeout.TotalSeconds:0.#} s");
            if (_phase != RunPhase.Running) return;
            var limit = options.HeartbeatInterval * options.MissedHeartbeatsBeforeDead;
            var silent = _members.Find(m => !m.Left && time.GetUtcNow() - m.LastSeen > limit);
            if (silent is not null)
                Fail($"rank {silent.Rank} ({silent.WorkerId}) missed {options.MissedHeartbeatsBeforeDead} heartbeats (silent for more than {limit.TotalSeconds:0.#} s)");
        }
    }

    /// <summary>A snapshot for GetStatus.</summary>
    public RunStatus Status()
    {
        lock (_gate)
        {
            var status = new RunStatus
            {
                RunId = options.RunId, Generation = Generation, WorldSize = options.Workers, State = _phase.ToString().ToLowerInvariant(),
                LastStep = _ledger.LastStep, LastLoss = _ledger.LastLoss, Error = _error, MedianStepSeconds = _ledger.MedianStepSeconds,
            };
            var limit = options.HeartbeatInterval * options.MissedHeartbeatsBeforeDead;
            status.Workers.AddRange(_members.Select(m => new WorkerStatus
            {
                Rank = m.Rank, WorkerId = m.WorkerId, LastStep = m.LastStep, Left = m.Left,
                Alive = !m.Left && time.GetUtcNow() - m.LastSeen <= limit,
            }));
            return status;
        }
    }

    private void Fail(string reason)
    {
        if (_phase is RunPhase.Completed or RunPhase.Failed) return;
        _phase = RunPhase.Failed;
        _error = reason;
        CoordinatorLog.RunFailed(logger, options.RunId, reason);
        _full.TrySetException(new RpcException(new Status(StatusCode.Aborted, reason)));
        _finished.TrySetResult(RunPhase.Failed);
    }

    private Assignment AssignmentFor(Member seat)
    {
        var assignment = new Assignment
        {
            RunId = options.RunId, Generation = Generation, Rank = seat.Rank, WorldSize = options.Workers,
            OptionsJson = options.OptionsJson, StartStep = 0, Transport = options.Transport, OutputDirectory = options.OutputDirectory,
        };
        lock (_gate)
        {
            assignment.Peers.AddRange(_members.Select(m => new Peer
            {
                Rank = m.Rank, WorkerId = m.WorkerId, CollectiveEndpoint = m.CollectiveEndpoint, DataEndpoint = m.DataEndpoint,
            }));
        }
        return assignment;
    }

    private Member Check(string runId, long generation, int rank)
    {
        CheckRun(runId);
        if (generation != Generation)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"stale generation {generation}; the current generation is {Generation}"));
        if (rank < 0 || rank >= _members.Count)
            throw new RpcException(new Status(StatusCode.OutOfRange, $"rank {rank} is outside [0, {_members.Count})"));
        return _members[rank];
    }

    private void CheckRun(string runId)
    {
        if (runId != options.RunId)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"this coordinator serves run '{options.RunId}', not '{runId}'"));
    }

    private static void Require(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 256)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be 1–256 characters"));
    }

    private static void RequireEndpoint(string value, string field)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} '{value}' is not host:port"));
    }
}

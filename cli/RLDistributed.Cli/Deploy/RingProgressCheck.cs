using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Deploy;

/// <summary>
/// Decides from the coordinator's status whether a deployed ring works. A step completes only after every
/// rank's gradients went round the ring all-reduce, so once all <paramref name="workers"/> are alive, every
/// rank's last reported step advancing by <paramref name="steps"/> proves the ring end to end. A completed run
/// proves it too. Feed it successive statuses; it keeps the step seen at the first complete look.
/// </summary>
public sealed class RingProgressCheck(string? runId, int workers, int steps)
{
    private long? _baseline;

    /// <summary>Judges one status.</summary>
    public RingCheckOutcome Observe(RunStatus status)
    {
        if (runId is not null && status.RunId != runId)
            return Fail($"the coordinator serves run '{status.RunId}', not '{runId}'");
        if (status.WorldSize != workers)
            return Fail($"run '{status.RunId}' has {status.WorldSize} worker seats, expected {workers}");
        switch (status.State)
        {
            case "failed":
                return Fail($"run '{status.RunId}' failed: {status.Error}");
            case "completed" when status.LastStep > 0:
                return new(RingCheckState.Passed, $"run '{status.RunId}' completed {status.LastStep} steps on a ring of {workers} workers");
            case "completed":
                return Fail($"run '{status.RunId}' completed without a step");
            case "running":
                return ObserveRunning(status);
            default:
                return Pending($"run '{status.RunId}' is {status.State}: {status.Workers.Count} of {workers} workers joined");
        }
    }

    private RingCheckOutcome ObserveRunning(RunStatus status)
    {
        var alive = status.Workers.Count(w => w.Alive);
        if (status.Workers.Count != workers || alive != workers)
            return Pending($"{alive} of {workers} workers alive");
        var slowest = status.Workers.Min(w => w.LastStep);
        _baseline ??= slowest;
        var target = _baseline.Value + steps;
        return slowest >= target
            ? new(RingCheckState.Passed, $"all {workers} workers alive; every rank went from step {_baseline} to {slowest} through the ring all-reduce")
            : Pending($"all {workers} workers alive; slowest rank at step {slowest}, waiting for step {target}");
    }

    private static RingCheckOutcome Fail(string message) => new(RingCheckState.Failed, message);

    private static RingCheckOutcome Pending(string message) => new(RingCheckState.Pending, message);
}

using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>Builds the status report from the run state and its observer.</summary>
public static class StatusReports
{
    /// <summary>The report now; <paramref name="samplesImage"/> is the picture's URL when rank 0 has written one.</summary>
    public static StatusReport Of(RunState run, string? samplesImage)
    {
        var status = run.Status();
        var ranks = run.Observer.Ranks().ToDictionary(r => r.Rank);
        var workers = status.Workers.OrderBy(w => w.Rank < 0 ? int.MaxValue : w.Rank).Select(w =>
        {
            var progress = w.Rank >= 0 ? ranks.GetValueOrDefault(w.Rank) : null;
            var straggler = progress?.Straggler ?? false;
            var health = w.Left ? "left" : !w.Alive ? "silent" : straggler ? "straggler" : "ok";
            return new WorkerView(w.Rank, w.WorkerId, w.LastStep, w.Alive, w.Left, progress?.StepSeconds, progress?.ComputeSeconds, progress?.AllReduceSeconds, straggler, health);
        }).ToList();
        var checkpoint = status.LastCheckpointDirectory.Length > 0 ? new CheckpointView(status.LastCheckpointStep, status.LastCheckpointDirectory) : null;
        return new StatusReport(
            status.RunId, status.State, status.Generation, status.WorldSize, status.LastStep, status.LastLoss, status.MedianStepSeconds,
            run.Observer.StepsPerSecond, run.Observer.SamplesPerSecond, status.MembershipChanges, status.Restarts, status.Error,
            checkpoint, workers, run.Observer.Stragglers(), run.Observer.History(), samplesImage);
    }
}

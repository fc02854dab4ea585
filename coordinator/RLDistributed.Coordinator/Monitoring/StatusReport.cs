namespace RLDistributed.Coordinator.Monitoring;

/// <summary>The JSON of GET /status: the run, its generation, each worker, the last checkpoint and the loss curve.</summary>
public sealed record StatusReport(
    string RunId, string State, long Generation, int WorldSize, long LastStep, double LastLoss, double MedianStepSeconds,
    double StepsPerSecond, double SamplesPerSecond, int MembershipChanges, int Restarts, string Error,
    CheckpointView? LastCheckpoint, IReadOnlyList<WorkerView> Workers, IReadOnlyList<int> Stragglers,
    IReadOnlyList<LossPoint> History, string? SamplesImage);

/// <summary>One worker's row on the status page; Health is ok, straggler, silent or left.</summary>
public sealed record WorkerView(
    int Rank, string WorkerId, long LastStep, bool Alive, bool Left, double? StepSeconds, double? ComputeSeconds, double? AllReduceSeconds, bool Straggler, string Health);

/// <summary>The last committed checkpoint.</summary>
public sealed record CheckpointView(long Step, string Directory);

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>What the last combined step said about one rank.</summary>
public sealed record RankProgress(int Rank, long Step, double StepSeconds, double ComputeSeconds, double AllReduceSeconds, bool Straggler);

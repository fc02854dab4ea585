namespace RLDistributed.Worker.Training;

/// <summary>What one rank did in one step, for the report to the coordinator.</summary>
/// <param name="AllReduceSeconds">How long the step waited for the all-reduce after its backward: all of it, or with
/// overlap only the part not hidden behind the backward.</param>
public sealed record DistributedStep(
    Core.Training.StepStatistics Statistics, double StepSeconds, double AllReduceSeconds, long AllReduceBytes, byte[]? ParameterHash)
{
    /// <summary>How the all-reduce overlapped the backward; null when it ran after it.</summary>
    public AllReduceOverlap? Overlap { get; init; }
}

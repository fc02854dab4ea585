namespace RLDistributed.Worker.Training;

/// <summary>What one rank did in one step, for the report to the coordinator.</summary>
public sealed record DistributedStep(
    Core.Training.StepStatistics Statistics, double StepSeconds, double AllReduceSeconds, long AllReduceBytes, byte[]? ParameterHash);

using RLDistributed.Core.Training;

namespace RLDistributed.Cli.Training;

/// <summary>What the training loop reports after each step.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, StepStatistics Statistics, double StepsPerSecond);

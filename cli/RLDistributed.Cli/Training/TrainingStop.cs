namespace RLDistributed.Cli.Training;

/// <summary>How a one-process run stopped by Ctrl-C or SIGTERM ended.</summary>
/// <param name="Steps">Steps finished before the stop (an interrupted step is not counted: a resume redoes it).</param>
/// <param name="CheckpointedSteps">Steps the newest checkpoint holds: <paramref name="Steps"/> unless saving at the stop failed.</param>
/// <param name="SaveProblem">Why the checkpoint of the stop could not be saved; null when it was, or when one already held these steps.</param>
public sealed record TrainingStop(long Steps, long CheckpointedSteps, string? SaveProblem);

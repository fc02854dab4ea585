namespace RLDistributed.Cli.Evaluation;

/// <summary>Sample quality of one checkpoint of a run.</summary>
/// <param name="Step">Training steps the checkpoint had taken.</param>
/// <param name="Checkpoint">Its directory.</param>
/// <param name="Metric">FD-ResNet18 for images, MMD² to held-out points for 2-D.</param>
/// <param name="Value">The metric's value (lower is better).</param>
/// <param name="ModesCovered">For a 2-D mixture: modes holding at least half their fair share of the samples.</param>
/// <param name="Seconds">Wall time of sampling and measuring.</param>
public sealed record ProgressPoint(long Step, string Checkpoint, string Metric, double Value, int? ModesCovered, double Seconds);

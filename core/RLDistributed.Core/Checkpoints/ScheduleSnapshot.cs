using RLDistributed.Core.Diffusion;

namespace RLDistributed.Core.Checkpoints;

/// <summary>The per-level constants as saved beside a model (σ, a, step sizes, loss weights).</summary>
public sealed record ScheduleSnapshot(int Levels, double StepSizeBSquared, double[] A, double[] Sigma, double[] AlphaBar,
    double[] SigmaBar, double[] StepSize, double[] Weight)
{
    /// <summary>Copies a schedule's arrays.</summary>
    public static ScheduleSnapshot Of(DiffusionSchedule schedule) => new(
        schedule.Levels, schedule.StepSizeBSquared, [.. schedule.A], [.. schedule.Sigma], [.. schedule.AlphaBar],
        [.. schedule.SigmaBar], [.. schedule.StepSize], [.. schedule.Weight]);
}

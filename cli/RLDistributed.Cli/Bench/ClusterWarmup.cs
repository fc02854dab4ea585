using RLDistributed.Core.Presets;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Untimed steps before a benchmark times a cluster (and the single processes it is compared with). Two one-thread
/// toy2d workers on two cores ran their steps 21–50 at 44 ms and settled at 33 ms only from about step 50 (both
/// ranks' compute, not the ring; a single process settles within about 20 steps), so toy2d skips 50. An image step
/// is long enough that its first few steps carry the start-up.
/// </summary>
internal static class ClusterWarmup
{
    /// <summary>The warm-up steps for <paramref name="preset"/>.</summary>
    public static int Steps(TrainingPreset preset) => preset.Model.Image is null ? 50 : 5;

    /// <summary>
    /// Untimed steps after the timed ones, for benchmarks that read step times from the coordinator's status: it is
    /// polled every 500 ms, and the run's end (the last checkpoint, the workers leaving) is not a training step.
    /// </summary>
    public static int CoolDownSteps(TrainingPreset preset) => preset.Model.Image is null ? 30 : 3;
}

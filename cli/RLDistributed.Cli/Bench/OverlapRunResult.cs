namespace RLDistributed.Cli.Bench;

/// <summary>One cluster run of <see cref="OverlapBenchmark"/>: medians over the timed steps of every rank.</summary>
/// <param name="Preset">The preset trained.</param>
/// <param name="Overlap">Whether the workers all-reduced during the backward.</param>
/// <param name="Buckets">Gradient buckets per all-reduce.</param>
/// <param name="GradientBytes">The gradient's size.</param>
/// <param name="MedianStepSeconds">Per step the slowest rank's step time; the median over steps.</param>
/// <param name="MedianBackwardSeconds">The loss's backward pass.</param>
/// <param name="MedianAllReduceSeconds">The ring's time on all buckets of a step, hidden or not.</param>
/// <param name="MedianExposedSeconds">How long a step waited for the all-reduce after its backward.</param>
/// <param name="HiddenFraction">Σ all-reduce time before the backward returned / Σ all-reduce time.</param>
/// <param name="HiddenFractionByRank">The same per rank: a rank that finishes its backward first waits in the ring for
/// the others, so its all-reduce is long and mostly after its backward, while the last rank's is short and hidden.</param>
/// <param name="FirstBucketReadyAt">With overlap, when bucket 0 was ready, as a fraction of the backward (1 − window /
/// backward, median over ranks and steps): the ring can work only on the rest of the backward.</param>
/// <param name="ParameterHash">Rank 0's final parameter hash (SHA-256, hex).</param>
public sealed record OverlapRunResult(
    string Preset, bool Overlap, int Buckets, long GradientBytes, double MedianStepSeconds, double MedianBackwardSeconds,
    double MedianAllReduceSeconds, double MedianExposedSeconds, double HiddenFraction, double[] HiddenFractionByRank, double? FirstBucketReadyAt, string ParameterHash);

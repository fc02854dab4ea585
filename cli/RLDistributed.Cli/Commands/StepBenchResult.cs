namespace RLDistributed.Cli.Commands;

/// <summary>
/// What <c>rld bench step --json</c> prints: the median, fastest and slowest timed iteration, and every timed
/// iteration in order (for statistics across processes, such as the slowest of N per step).
/// </summary>
public sealed record StepBenchResult(string Preset, int Batch, int Threads, int Iterations, double MedianMs, double MinMs, double MaxMs, double[]? Milliseconds = null);

namespace RLDistributed.Cli.Commands;

/// <summary>
/// What <c>rld bench step --json</c> prints: the median, fastest and slowest timed iteration, and every timed
/// iteration in order (for statistics across processes, such as the slowest of N per step). <see cref="Device"/> is
/// where the iteration ran; <see cref="Threads"/> is libtorch's CPU thread count, which on a GPU only drives the host side.
/// </summary>
public sealed record StepBenchResult(string Preset, int Batch, int Threads, int Iterations, double MedianMs, double MinMs, double MaxMs, double[]? Milliseconds = null, string Device = "cpu");

namespace RLDistributed.Cli.Commands;

/// <summary>What <c>rld bench step --json</c> prints: the median, fastest and slowest timed iteration.</summary>
public sealed record StepBenchResult(string Preset, int Batch, int Threads, int Iterations, double MedianMs, double MinMs, double MaxMs);

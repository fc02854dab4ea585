namespace RLDistributed.Core.Sampling;

/// <summary>
/// How far a progressive sampling has come, reported before the first level and after each one. A level is a whole
/// Langevin chain (K network evaluations and input gradients of every sample), so an image model's picture takes
/// minutes on a CPU, and the levels are what a progress display can count.
/// </summary>
/// <param name="LevelsDone">Levels finished, 0 … <paramref name="Levels"/>.</param>
/// <param name="Levels">All levels, T.</param>
public readonly record struct SamplingProgress(int LevelsDone, int Levels);

using RLDistributed.Core.Sampling;

namespace RLDistributed.Cli.Training;

/// <summary>What a training run reports while it draws a sample picture (during training or at the end).</summary>
/// <param name="Path">The picture being drawn.</param>
/// <param name="Count">Samples in it.</param>
/// <param name="Progress">Levels finished so far.</param>
public sealed record SampleDrawingProgress(string Path, int Count, SamplingProgress Progress);

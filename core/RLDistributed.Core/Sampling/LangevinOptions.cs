using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Core.Sampling;

/// <summary>Short-run Langevin chain that draws negatives at one noise level (drl-spec.md §2).</summary>
public sealed record LangevinOptions
{
    /// <summary>Default K: 30 steps per level in training and test (mcmc_num_steps).</summary>
    public const int DefaultStepCount = 30;

    /// <summary>Steps per chain. Default 30.</summary>
    [Range(0, 10_000)] public int StepCount { get; init; } = DefaultStepCount;

    /// <summary>λ, the scale of the injected noise: 1.0 in training, 0.99 for the final samples. Default 1.0.</summary>
    [Range(0.0, 10.0)] public double NoiseScale { get; init; } = 1.0;
}

using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>Annealed importance sampling from a Gaussian base to a target density.</summary>
public sealed record AisOptions
{
    /// <summary>Default number of intermediate distributions. 1000.</summary>
    public const int DefaultDistributions = 1000;

    /// <summary>Default number of independent chains (importance weights). 256.</summary>
    public const int DefaultChains = 256;

    /// <summary>Intermediate distributions between the base and the target (each gets its transitions). Default 1000.</summary>
    [Range(1, 1_000_000)] public int Distributions { get; init; } = DefaultDistributions;

    /// <summary>Chains run side by side; the estimator averages their weights. Default 256.</summary>
    [Range(2, 1_000_000)] public int Chains { get; init; } = DefaultChains;

    /// <summary>MALA transitions at each intermediate distribution. Default 1.</summary>
    [Range(1, 1_000)] public int TransitionsPerDistribution { get; init; } = 1;

    /// <summary>
    /// Sharpness δ of the sigmoid schedule β_k ∝ σ(δ(2k/K − 1)): larger spends more distributions near β = 0 and
    /// β = 1, where a peaked target changes fastest. Default 4.
    /// </summary>
    [Range(0.0, 50.0)] public double ScheduleSharpness { get; init; } = 4.0;

    /// <summary>Starting MALA step size h in whitened units (the base is N(0, I) there). Default 0.5.</summary>
    [Range(1e-12, 100.0)] public double InitialStepSize { get; init; } = 0.5;

    /// <summary>Acceptance rate the step size is steered towards (0.574 is MALA's optimum in high dimension). Default 0.6.</summary>
    [Range(0.05, 0.95)] public double TargetAcceptance { get; init; } = 0.6;

    /// <summary>Seed of the start and transition streams.</summary>
    public ulong Seed { get; init; } = 1;
}

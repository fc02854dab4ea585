using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Core.Training;

/// <summary>Optimisation and method hyperparameters (drl-spec.md §2, §3, §5). Defaults are the authors'.</summary>
public sealed record TrainingOptions
{
    /// <summary>T, the number of energy levels. Default 6.</summary>
    [Range(2, 100)] public int Levels { get; init; } = 6;

    /// <summary>K, Langevin steps per level. Default 30.</summary>
    [Range(1, 1_000)] public int LangevinSteps { get; init; } = 30;

    /// <summary>b² in s_t² = c_t²·b²·σ_{t+1}². Default 2e-4.</summary>
    [Range(1e-10, 1.0)] public double StepSizeBSquared { get; init; } = 2e-4;

    /// <summary>λ, the Langevin noise scale in training. Default 1.0.</summary>
    [Range(0.0, 10.0)] public double NoiseScale { get; init; } = 1.0;

    /// <summary>Global batch (n_batch_train), split over the workers. Default 64.</summary>
    [Range(1, 1 << 20)] public int GlobalBatch { get; init; } = 64;

    /// <summary>Training steps. Default 1000.</summary>
    [Range(1, long.MaxValue)] public long Steps { get; init; } = 1000;

    /// <summary>Adam learning rate. Default 1e-4.</summary>
    [Range(1e-10, 1.0)] public double LearningRate { get; init; } = 1e-4;

    /// <summary>Linear warm-up: lr·min(1, step/WarmupSteps). Default 1000.</summary>
    [Range(0, long.MaxValue)] public long WarmupSteps { get; init; } = 1000;

    /// <summary>Adam β1. Default 0.9 (0.5 for CelebA and LSUN 128 in the authors' README).</summary>
    [Range(0.0, 0.999999)] public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2. Default 0.999.</summary>
    [Range(0.0, 0.999999)] public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam ε, added to √v as Keras does. Default 1e-7.</summary>
    [Range(0.0, 1.0)] public double Epsilon { get; init; } = 1e-7;

    /// <summary>EMA decay over all variables, SN vectors included. Default 0.999.</summary>
    [Range(0.0, 1.0)] public double EmaDecay { get; init; } = 0.999;

    /// <summary>Global gradient-norm clip; null (the default) disables it, as in the authors' runs.</summary>
    [Range(1e-10, double.MaxValue)] public double? GradientClipNorm { get; init; }

    /// <summary>Random horizontal flip of images (randflip). Default true; ignored for 2-D data.</summary>
    public bool RandomFlip { get; init; } = true;

    /// <summary>Run seed: every random draw is keyed by it. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The learning rate of step <paramref name="step"/> (0-based): lr·min(1, (step+1)/warm-up).</summary>
    public double LearningRateAt(long step) =>
        WarmupSteps == 0 ? LearningRate : LearningRate * Math.Min(1.0, (step + 1) / (double)WarmupSteps);

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad option.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}

namespace RLDistributed.Core.Randomness;

/// <summary>
/// What a random draw is for. Part of every key, so two purposes never share a stream
/// (changing a value changes every run's numbers: append, never renumber).
/// </summary>
public enum RandomPurpose : ulong
{
    /// <summary>The epoch permutation of example indices.</summary>
    EpochPermutation = 1,

    /// <summary>Which levels receive the remainder when the global batch is not a multiple of T.</summary>
    LevelRemainder = 2,

    /// <summary>Random horizontal flips of images.</summary>
    HorizontalFlip = 3,

    /// <summary>ε in x_t = ā_t x + σ̄_t ε.</summary>
    ForwardNoise = 4,

    /// <summary>ε′ in x_{t+1} = a_{t+1} x_t + σ_{t+1} ε′.</summary>
    PairNoise = 5,

    /// <summary>The Langevin noise of one chain step (the step number is the key's last part).</summary>
    LangevinNoise = 6,

    /// <summary>x_T ~ N(0, I) of the progressive sampler.</summary>
    SamplerStart = 7,

    /// <summary>The Langevin noise of the progressive sampler.</summary>
    SamplerNoise = 8,

    /// <summary>Initial network weights.</summary>
    Initialisation = 9,
}

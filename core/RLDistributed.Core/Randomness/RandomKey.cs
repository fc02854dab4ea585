namespace RLDistributed.Core.Randomness;

/// <summary>
/// A 64-bit key derived from (seed, purpose, parts…) with the SplitMix64 finaliser. Every random draw
/// of the method is keyed this way, by seed, step and purpose, never by process or rank, so the same
/// step computes the same numbers whatever the world size (design.md, step 3).
/// </summary>
public readonly record struct RandomKey(ulong Value)
{
    /// <summary>The key of one purpose under a run seed.</summary>
    public static RandomKey For(ulong seed, RandomPurpose purpose) => new(Mix(Mix(seed) ^ (ulong)purpose));

    /// <summary>A sub-key: this key combined with one more part (a step, an epoch, a chain step).</summary>
    public RandomKey With(long part) => new(Mix(Value ^ Mix((ulong)part + 0x9E3779B97F4A7C15UL)));

    /// <summary>The key as a torch generator seed (non-negative int64, as torch expects).</summary>
    public long TorchSeed => (long)(Value & 0x7FFF_FFFF_FFFF_FFFFUL);

    /// <summary>SplitMix64's output function: a bijective 64-bit mixer.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using RLDistributed.Core.Randomness;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation;

/// <summary>
/// Torch generators for evaluation, keyed by (seed, stream name) with the project's key mixer. Evaluation names
/// its own streams instead of adding <c>RandomPurpose</c> values, so a new evaluation stream never touches the
/// keys that training runs depend on. Names in use: "ais-start", "ais-transition", "longrun-noise".
/// </summary>
public static class EvaluationRandom
{
    /// <summary>A fresh CPU generator for <paramref name="stream"/> under <paramref name="seed"/>; the caller disposes it.</summary>
    public static Generator Generator(ulong seed, string stream)
    {
        // FNV-1a of the name: stable across processes and .NET versions, unlike string.GetHashCode.
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in stream) hash = (hash ^ c) * 0x0000_0100_0000_01B3UL;
        return new Generator((ulong)new RandomKey(RandomKey.Mix(RandomKey.Mix(seed) ^ hash)).TorchSeed);
    }
}

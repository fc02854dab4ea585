using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// The sinusoidal level embedding of network.py: 64 frequencies exp(−k·ln(1e4)/63), k = 0..63,
/// then [sin(t·f), cos(t·f)] → 128 dims (for <c>dimensions</c> = 128).
/// </summary>
public static class TimeEmbedding
{
    /// <summary>Embeds integer levels t [B] into [B, dimensions] (float32, on t's device).</summary>
    public static Tensor Sinusoidal(Tensor levels, int dimensions)
    {
        if (dimensions < 4 || dimensions % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "the embedding size must be even and at least 4");
        var half = dimensions / 2;
        using var scope = NewDisposeScope();
        var k = arange(half, dtype: ScalarType.Float32, device: levels.device);
        var frequencies = exp(k * (-Math.Log(10_000.0) / (half - 1)));
        var angles = levels.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        return cat([sin(angles), cos(angles)], dim: 1).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace RLDistributed.Core.Energy;

/// <summary>
/// TF's <c>variance_scaling(scale, mode="fan_avg", distribution="uniform")</c> initialiser, which network.py uses
/// for every kernel: U(−limit, limit) with limit = sqrt(3·scale / ((fan_in + fan_out)/2)).
/// </summary>
public static class VarianceScaling
{
    /// <summary>
    /// Fans of a Torch-layout weight: [out, in] for dense layers, [out, in, kh, kw] for convolutions, so that
    /// fan_in = in·kh·kw and fan_out = out·kh·kw as TF computes them on its [kh, kw, in, out] kernels.
    /// </summary>
    public static (long FanIn, long FanOut) Fans(long[] weightShape)
    {
        ArgumentNullException.ThrowIfNull(weightShape);
        if (weightShape.Length < 2)
            throw new ArgumentException($"a weight needs at least 2 dimensions, got {weightShape.Length}", nameof(weightShape));
        var receptiveField = weightShape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return (weightShape[1] * receptiveField, weightShape[0] * receptiveField);
    }

    /// <summary>Half-width of the uniform distribution for a weight of this shape at this scale.</summary>
    public static double FanAvgUniformLimit(long[] weightShape, double scale)
    {
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be positive");
        var (fanIn, fanOut) = Fans(weightShape);
        return Math.Sqrt(3.0 * scale / ((fanIn + fanOut) / 2.0));
    }

    /// <summary>Fills <paramref name="weight"/> in place (without recording autograd history) and returns it.</summary>
    public static Tensor FanAvgUniform(Tensor weight, double scale, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var limit = FanAvgUniformLimit(weight.shape, scale);
        using var noGrad = no_grad();
        return weight.uniform_(-limit, limit, generator);
    }
}

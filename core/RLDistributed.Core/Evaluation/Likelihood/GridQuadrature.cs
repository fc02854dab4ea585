using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation.Likelihood;

/// <summary>
/// log Z of a 2-D density by numerical quadrature: the midpoint rule on an n×n grid over [−L, L]², summed as a
/// log-sum-exp in float64. Accurate when the cells are small next to the density's features and the box holds
/// the mass; <see cref="QuadratureEstimate.BorderGap"/> says whether it does.
/// </summary>
public static class GridQuadrature
{
    /// <summary>Rows evaluated at once.</summary>
    private const int Chunk = 65_536;

    /// <summary>Integrates <paramref name="density"/> (2-D examples) over [−extent, extent]² with <paramref name="pointsPerAxis"/>² cells.</summary>
    public static QuadratureEstimate LogNormalizer(ILogDensity density, double extent, int pointsPerAxis, Device device)
    {
        if (density.ExampleShape is not [2]) throw new ArgumentException("quadrature needs 2-D examples", nameof(density));
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerAxis, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pointsPerAxis, 16_384);
        var cell = 2 * extent / pointsPerAxis;
        var values = new double[(long)pointsPerAxis * pointsPerAxis];
        using (var scope = NewDisposeScope())
        {
            var axis = (arange(pointsPerAxis, dtype: ScalarType.Float64, device: device) + 0.5) * cell - extent;
            for (long start = 0; start < values.Length; start += Chunk)
            {
                using var chunk = NewDisposeScope();
                var index = arange(start, Math.Min(start + Chunk, values.Length), dtype: ScalarType.Int64, device: device);
                var points = stack([axis.index_select(0, index.remainder(pointsPerAxis)), axis.index_select(0, index.div(pointsPerAxis, rounding_mode: RoundingMode.floor))], 1);
                density.LogDensity(points).cpu().data<double>().CopyTo(values, (int)start);
            }
        }
        var max = values.Max();
        var sum = values.Sum(v => Math.Exp(v - max));
        return new QuadratureEstimate(max + Math.Log(sum) + 2 * Math.Log(cell), extent, pointsPerAxis, max - BorderMax(values, pointsPerAxis));
    }

    private static double BorderMax(double[] values, int n)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            max = Math.Max(max, Math.Max(values[i], values[(long)(n - 1) * n + i]));
            max = Math.Max(max, Math.Max(values[(long)i * n], values[(long)i * n + n - 1]));
        }
        return max;
    }
}

using RLDistributed.Core.Randomness;
namespace RLDistributed.Core.Data;

/// <summary>Generators for the toy sets that are not Gaussian mixtures.</summary>
internal static class ToyShapes
{
    // Noise added after scaling to [−1, 1]; 0.02 blurs the curves without filling the gaps between them.
    private const double CurveNoise = 0.02;

    /// <summary>Uniform on the 8 "black" cells of a 4×4 board over [−1, 1]².</summary>
    public static PointDataset Checkerboard(int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var xy = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var cell = rng.NextInt(8);
            var row = cell / 2;
            var col = 2 * (cell % 2) + (row % 2); // (row + col) even: the black cells
            xy[2 * i] = (float)(-1 + 0.5 * (col + rng.NextDouble()));
            xy[2 * i + 1] = (float)(-1 + 0.5 * (row + rng.NextDouble()));
        }
        return new PointDataset("checkerboard", xy);
    }

    /// <summary>sklearn-style swiss roll t·(cos t, sin t), t ∈ [1.5π, 4.5π], scaled so the outer turn is at 0.95.</summary>
    public static PointDataset SwissRoll(int count, ulong seed)
    {
        const double tMax = 4.5 * Math.PI;
        var rng = new SplitMix64(seed);
        var xy = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var t = 1.5 * Math.PI * (1 + 2 * rng.NextDouble());
            var scale = 0.95 / tMax;
            xy[2 * i] = (float)(scale * t * Math.Cos(t) + CurveNoise * rng.NextGaussian());
            xy[2 * i + 1] = (float)(scale * t * Math.Sin(t) + CurveNoise * rng.NextGaussian());
        }
        return new PointDataset("swissroll", xy);
    }

    /// <summary>Two interleaved spirals of 1.5 turns; √u makes the density uniform along the arc.</summary>
    public static PointDataset TwoSpirals(int count, ulong seed)
    {
        const double nMax = 3 * Math.PI;
        var rng = new SplitMix64(seed);
        var xy = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var n = Math.Sqrt(rng.NextDouble()) * nMax;
            var sign = rng.NextInt(2) == 0 ? 1.0 : -1.0;
            var scale = 0.95 / nMax;
            xy[2 * i] = (float)(sign * -Math.Cos(n) * n * scale + CurveNoise * rng.NextGaussian());
            xy[2 * i + 1] = (float)(sign * Math.Sin(n) * n * scale + CurveNoise * rng.NextGaussian());
        }
        return new PointDataset("2spirals", xy);
    }

    /// <summary>Four concentric rings (radii 0.225, 0.45, 0.675, 0.9), equal weights.</summary>
    public static PointDataset Rings(int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var xy = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var radius = 0.225 * (1 + rng.NextInt(4));
            var angle = 2 * Math.PI * rng.NextDouble();
            xy[2 * i] = (float)(radius * Math.Cos(angle) + CurveNoise * rng.NextGaussian());
            xy[2 * i + 1] = (float)(radius * Math.Sin(angle) + CurveNoise * rng.NextGaussian());
        }
        return new PointDataset("rings", xy);
    }
}

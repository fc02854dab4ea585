using RLDistributed.Core.Randomness;
namespace RLDistributed.Core.Data;

/// <summary>
/// Points drawn from an equal-weight mixture of isotropic 2-D Gaussians. The mixture itself
/// (<see cref="Centres"/>, <see cref="ModeStd"/>) is exposed so evaluation can count covered modes.
/// </summary>
public sealed class GaussianMixture2D : PointDataset
{
    private GaussianMixture2D(string name, float[] xy, IReadOnlyList<(double X, double Y)> centres, double modeStd)
        : base(name, xy)
    {
        Centres = centres;
        ModeStd = modeStd;
    }

    /// <summary>Mode centres, equal weights.</summary>
    public IReadOnlyList<(double X, double Y)> Centres { get; }

    /// <summary>Standard deviation of every mode along each axis.</summary>
    public double ModeStd { get; }

    /// <summary>Draws <paramref name="count"/> points: a uniform mode, then centre + std·N(0, I).</summary>
    public static GaussianMixture2D Sample(
        string name, IReadOnlyList<(double X, double Y)> centres, double modeStd, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(centres.Count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(modeStd);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = new SplitMix64(seed);
        var xy = new float[2 * count];
        for (var i = 0; i < count; i++)
        {
            var (cx, cy) = centres[rng.NextInt(centres.Count)];
            xy[2 * i] = (float)(cx + modeStd * rng.NextGaussian());
            xy[2 * i + 1] = (float)(cy + modeStd * rng.NextGaussian());
        }
        return new GaussianMixture2D(name, xy, centres, modeStd);
    }

    /// <summary>Index of the nearest centre to (<paramref name="x"/>, <paramref name="y"/>) and its distance.</summary>
    public (int Mode, double Distance) NearestMode(double x, double y)
    {
        var best = 0;
        var bestSq = double.PositiveInfinity;
        for (var k = 0; k < Centres.Count; k++)
        {
            var dx = x - Centres[k].X;
            var dy = y - Centres[k].Y;
            var sq = dx * dx + dy * dy;
            if (sq < bestSq) (best, bestSq) = (k, sq);
        }
        return (best, Math.Sqrt(bestSq));
    }
}

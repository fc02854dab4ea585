namespace RLDistributed.Core.Data;

/// <summary>
/// The 2-D toy distributions, each generated deterministically from (count, seed) and scaled to about [−1, 1]
/// (noise tails may step slightly outside; all stay within ±1.1 in practice).
/// </summary>
public static class ToyDatasets
{
    /// <summary>Points per toy set when the caller does not say. 65,536 = 2^16.</summary>
    public const int DefaultCount = 65_536;

    /// <summary>Radius of the 8gaussians circle. 0.8.</summary>
    public const double EightGaussiansRadius = 0.8;

    /// <summary>Per-axis std of each mode in 25gaussians. 0.05.</summary>
    public const double GaussianModeStd = 0.05;

    /// <summary>
    /// Per-axis std of each mode in 8gaussians: 0.1, i.e. std/radius = 1/8, the proportions of the usual
    /// 8-Gaussians benchmark (centres at radius 4, std 0.5, both divided by √2).
    /// </summary>
    public const double EightGaussiansModeStd = 0.05;

    /// <summary>Spacing of the 25gaussians 5×5 grid (centres at −0.8 … 0.8). 0.4.</summary>
    public const double GridSpacing = 0.4;

    /// <summary>Every toy name, in help order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["8gaussians", "25gaussians", "checkerboard", "swissroll", "2spirals", "rings"];

    /// <summary>True when <paramref name="name"/> is one of <see cref="Names"/> (case-insensitive).</summary>
    public static bool IsToy(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Generates toy set <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid names.</exception>
    public static PointDataset Create(string name, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return name.ToLowerInvariant() switch
        {
            "8gaussians" => GaussianMixture2D.Sample("8gaussians", CircleCentres(), EightGaussiansModeStd, count, seed),
            "25gaussians" => GaussianMixture2D.Sample("25gaussians", GridCentres(), GaussianModeStd, count, seed),
            "checkerboard" => ToyShapes.Checkerboard(count, seed),
            "swissroll" => ToyShapes.SwissRoll(count, seed),
            "2spirals" => ToyShapes.TwoSpirals(count, seed),
            "rings" => ToyShapes.Rings(count, seed),
            _ => throw new ArgumentException(
                $"unknown toy data set '{name}'; valid names: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    private static (double X, double Y)[] CircleCentres() =>
        Enumerable.Range(0, 8)
            .Select(k => (EightGaussiansRadius * Math.Cos(k * Math.PI / 4), EightGaussiansRadius * Math.Sin(k * Math.PI / 4)))
            .ToArray();

    private static (double X, double Y)[] GridCentres() =>
        (from i in Enumerable.Range(-2, 5) from j in Enumerable.Range(-2, 5) select (i * GridSpacing, j * GridSpacing))
            .ToArray();
}

using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation;

/// <summary>
/// How the learned level-0 density of a 2-D model divides its mass among a mixture's modes, by quadrature on a fine
/// grid: the share a long Langevin chain would spend near each mode if it sampled that density exactly. Set beside
/// the long-run chains' own shares it tells a chain that mixes badly from a model whose mode weights are unequal
/// (level-0 recovery likelihood sees only small noise, so it pins the shape of each mode far better than their weights).
/// </summary>
public static class ModeMass
{
    /// <summary>Grid half-width: the data lie within the unit disc; the margin holds the tails.</summary>
    public const double DefaultExtent = 1.25;

    /// <summary>Grid points per axis: a spacing of 0.005, a tenth of the 8gaussians mode std.</summary>
    public const int DefaultPoints = 501;

    /// <summary>Share of the level-0 mass whose nearest centre is each of <paramref name="mixture"/>'s modes (sums to 1).</summary>
    public static double[] OfLevelZero(EnergyNetwork energy, DiffusionSchedule schedule, GaussianMixture2D mixture, Device device,
        double extent = DefaultExtent, int points = DefaultPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(extent);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var logDensity = LevelDensities.Grid(energy, schedule, 0, extent, points, device);
        var peak = logDensity.Cast<double>().Max();
        var mass = new double[mixture.Centres.Count];
        for (var r = 0; r < points; r++)
        {
            var y = extent - 2 * extent * r / (points - 1);
            for (var c = 0; c < points; c++)
            {
                var x = -extent + 2 * extent * c / (points - 1);
                mass[mixture.NearestMode(x, y).Mode] += Math.Exp(logDensity[r, c] - peak);
            }
        }
        var total = mass.Sum();
        return mass.Select(m => m / total).ToArray();
    }
}

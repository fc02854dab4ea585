using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Evaluation;

/// <summary>The learned marginal log-density of a 2-D model at each level, on a grid, for pictures.</summary>
public static class LevelDensities
{
    /// <summary>
    /// log p̃_t(x) = F(a′_{t+1}·x, t)/s_t² (drl-spec.md §1) on a [G, G] grid over [−extent, extent]², row 0 at the
    /// top (y = +extent), float64.
    /// </summary>
    public static double[,] Grid(EnergyNetwork energy, DiffusionSchedule schedule, int level, double extent, int points, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, schedule.Levels);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var coordinates = linspace(-extent, extent, points, device: device);
        var grid = stack([coordinates.repeat(points), coordinates.flip(0).repeat_interleave(points)], 1);
        var levels = full(grid.shape[0], level, dtype: ScalarType.Int64, device: device);
        var stepSize = schedule.StepSize[level];
        var values = (energy.forward(grid * schedule.APrime[level + 1], levels) / (stepSize * stepSize))
            .cpu().to(ScalarType.Float64).data<double>().ToArray();
        var result = new double[points, points];
        for (var r = 0; r < points; r++)
            for (var c = 0; c < points; c++) result[r, c] = values[r * points + c];
        return result;
    }
}

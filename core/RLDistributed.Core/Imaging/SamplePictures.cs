using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Imaging;

/// <summary>Draws the picture that shows a model: an image grid, or for 2-D data the samples over the data and the learned level-0 density.</summary>
public static class SamplePictures
{
    /// <summary>Grid resolution of the 2-D density.</summary>
    public const int DensityGrid = 120;

    /// <summary>Writes <paramref name="samples"/> [N, …] as a PNG; <paramref name="data"/> adds reference points for 2-D.</summary>
    public static void Write(string path, Tensor samples, EnergyNetwork energy, DiffusionSchedule schedule, IDataset? data, Device device)
    {
        if (samples.dim() == 4)
        {
            ImageGrid.SavePng(samples, path);
            return;
        }
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new ArgumentException($"cannot draw samples of shape [{string.Join(", ", samples.shape)}]", nameof(samples));
        var points = samples.detach().cpu().data<float>().ToArray();
        var reference = data is null ? [] : ReferencePoints(data, 2000);
        PointCloudPlot.SavePng(path, points, reference, LevelZeroLogDensity(energy, schedule, device));
    }

    /// <summary>
    /// log p(x) at level 0 up to a constant on a [G, G] grid over [−1.5, 1.5]², row 0 at the top:
    /// F(a′_1·x, 0)/s_0² (the marginal density of x_0 as the model sees it, drl-spec.md §1).
    /// </summary>
    public static double[,] LevelZeroLogDensity(EnergyNetwork energy, DiffusionSchedule schedule, Device device, double extent = 1.5) =>
        Evaluation.LevelDensities.Grid(energy, schedule, level: 0, extent, DensityGrid, device);

    private static float[] ReferencePoints(IDataset data, int count)
    {
        count = Math.Min(count, data.Count);
        var size = data.ExampleShape.Aggregate(1, (a, b) => a * b);
        var points = new float[count * size];
        for (var i = 0; i < count; i++) data.CopyExample(i, points.AsSpan(i * size, size));
        return points;
    }
}

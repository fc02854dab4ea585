using SkiaSharp;
using static TorchSharp.torch;

namespace RLDistributed.Core.Imaging;

/// <summary>
/// The progressive sampler's levels as one picture, noise on the left and data on the right: for images a grid
/// whose rows are samples and whose columns are x_T, x_{T−1}, …, x_0; for 2-D points one scatter panel per level.
/// </summary>
public static class TrajectoryPicture
{
    /// <summary>Side of one 2-D panel in pixels.</summary>
    public const int PanelSize = 256;

    /// <summary>A 2-D panel shows [−extent, extent]²: x_T ~ N(0, I) stays within ±3.</summary>
    public const double PanelExtent = 3.0;

    /// <summary>Writes <paramref name="levels"/> (index t = 0..T, as the sampler keeps them), at most <paramref name="rows"/> image samples.</summary>
    public static void SavePng(string path, IReadOnlyList<Tensor> levels, int rows = 8)
    {
        if (levels.Count < 2) throw new ArgumentException("a trajectory has at least two levels", nameof(levels));
        if (levels[0].dim() == 4) SaveImages(path, levels, rows);
        else SavePoints(path, levels);
    }

    private static void SaveImages(string path, IReadOnlyList<Tensor> levels, int rows)
    {
        using var scope = NewDisposeScope();
        var count = (int)Math.Min(rows, levels[0].shape[0]);
        // Row r holds sample r from noise (t = T) to data (t = 0).
        var noiseToData = levels.Reverse().Select(level => level.narrow(0, 0, count).cpu()).ToArray();
        var grid = stack(noiseToData, 1).flatten(0, 1);
        ImageGrid.SavePng(grid, path, columns: levels.Count);
    }

    private static void SavePoints(string path, IReadOnlyList<Tensor> levels)
    {
        var panels = levels.Count;
        using var bitmap = new SKBitmap(panels * PanelSize + (panels - 1) * 4, PanelSize, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var frame = new SKPaint { Color = new SKColor(200, 200, 200), Style = SKPaintStyle.Stroke };
            using var dot = new SKPaint { Color = new SKColor(30, 60, 200, 120), IsAntialias = true };
            for (var panel = 0; panel < panels; panel++)
            {
                var left = panel * (PanelSize + 4);
                canvas.DrawRect(left, 0, PanelSize - 1, PanelSize - 1, frame);
                var points = levels[panels - 1 - panel].detach().cpu().to(ScalarType.Float32).data<float>().ToArray();
                for (var i = 0; i + 1 < points.Length; i += 2)
                {
                    var x = left + (float)((points[i] + PanelExtent) / (2 * PanelExtent) * PanelSize);
                    var y = (float)((PanelExtent - points[i + 1]) / (2 * PanelExtent) * PanelSize);
                    if (x >= left && x < left + PanelSize && y >= 0 && y < PanelSize) canvas.DrawCircle(x, y, 1.2f, dot);
                }
            }
        }
        PngFile.Write(bitmap, path);
    }
}

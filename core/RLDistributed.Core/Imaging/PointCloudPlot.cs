using SkiaSharp;

namespace RLDistributed.Core.Imaging;

/// <summary>
/// A PNG of 2-D data: an optional density heat map (e.g. the learned level-0 density), the data in grey,
/// and the samples in red, over the square [−extent, extent]².
/// </summary>
public static class PointCloudPlot
{
    /// <summary>Draws and saves the plot. <paramref name="logDensity"/> is a [G, G] grid (row = y from top) or null.</summary>
    public static void SavePng(string path, ReadOnlySpan<float> samples, ReadOnlySpan<float> data, double[,]? logDensity,
        double extent = 1.5, int size = 512)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            if (logDensity is not null) DrawDensity(canvas, logDensity, size);
            using var dataPaint = new SKPaint { Color = new SKColor(90, 90, 90, 110), IsAntialias = true };
            using var samplePaint = new SKPaint { Color = new SKColor(220, 30, 30, 170), IsAntialias = true };
            DrawPoints(canvas, data, dataPaint, extent, size);
            DrawPoints(canvas, samples, samplePaint, extent, size);
        }
        PngFile.Write(bitmap, path);
    }

    private static void DrawPoints(SKCanvas canvas, ReadOnlySpan<float> points, SKPaint paint, double extent, int size)
    {
        for (var i = 0; i + 1 < points.Length; i += 2)
        {
            var x = (float)((points[i] + extent) / (2 * extent) * size);
            var y = (float)((extent - points[i + 1]) / (2 * extent) * size);
            canvas.DrawCircle(x, y, 1.6f, paint);
        }
    }

    /// <summary>
    /// log p − max shaded from white (10 nats or more below the peak) to blue (the peak): a log scale, because
    /// F/s_0² spans hundreds of nats and a linear density would show a single dot.
    /// </summary>
    private static void DrawDensity(SKCanvas canvas, double[,] logDensity, int size)
    {
        var rows = logDensity.GetLength(0);
        var columns = logDensity.GetLength(1);
        var max = double.NegativeInfinity;
        foreach (var v in logDensity) if (v > max) max = v;
        var cell = new SKSize(size / (float)columns, size / (float)rows);
        using var paint = new SKPaint { IsAntialias = false };
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var p = Math.Clamp(1 + (logDensity[r, c] - max) / 10.0, 0, 1);
                var shade = (byte)(255 - 200 * p);
                paint.Color = new SKColor(shade, shade, 255);
                canvas.DrawRect(c * cell.Width, r * cell.Height, cell.Width + 1, cell.Height + 1, paint);
            }
        }
    }
}

using SkiaSharp;

namespace RLDistributed.Core.Imaging;

/// <summary>
/// Lays several ScottPlot figures out as one PNG, row by row. Each plot renders itself (ScottPlot draws with
/// SkiaSharp, headless) and the panels are pasted onto one canvas, so a figure file holds a whole story.
/// </summary>
public static class PlotPanels
{
    /// <summary>Renders <paramref name="plots"/> at <paramref name="panelWidth"/>×<paramref name="panelHeight"/> in <paramref name="columns"/> columns and saves the PNG.</summary>
    public static void Save(string path, IReadOnlyList<ScottPlot.Plot> plots, int columns = 1, int panelWidth = 640, int panelHeight = 320)
    {
        if (plots.Count == 0) throw new ArgumentException("no plots to draw", nameof(plots));
        columns = Math.Clamp(columns, 1, plots.Count);
        var rows = (plots.Count + columns - 1) / columns;
        using var bitmap = new SKBitmap(columns * panelWidth, rows * panelHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (var i = 0; i < plots.Count; i++)
            {
                var png = plots[i].GetImage(panelWidth, panelHeight).GetImageBytes();
                using var panel = SKBitmap.Decode(png);
                canvas.DrawBitmap(panel, i % columns * panelWidth, i / columns * panelHeight);
            }
        }
        PngFile.Write(bitmap, path);
    }
}

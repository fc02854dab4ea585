using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Evaluation.LongRun;
using RLDistributed.Core.Imaging;
using SkiaSharp;

namespace RLDistributed.Core.Tests.Evaluation;

/// <summary>The ScottPlot figures render headless and have the panels they promise.</summary>
public sealed class EvaluationPlotsTests
{
    [Fact]
    public void TrainingCurves_FromMetricsLines_ThreePanelsWithCurves()
    {
        var directory = Directory.CreateTempSubdirectory("rld-plot-").FullName;
        try
        {
            var metrics = Path.Combine(directory, "metrics.jsonl");
            File.WriteAllLines(metrics, Enumerable.Range(1, 40).Select(step =>
                $"{{\"step\":{step},\"loss\":{1.0 / step},\"energyGap\":[{-1.0 / step},null,{-2.0 / step}],\"seconds\":{0.1 * step}}}"));
            var rows = TrainingMetrics.Read(metrics);
            var picture = Path.Combine(directory, "curves.png");

            EvaluationPlots.SaveTrainingCurves(picture, rows, [1.0, 0.6, 0.5]);

            Assert.Equal(40, rows.Count);
            Assert.True(double.IsNaN(rows[0].EnergyGap[1]));
            Assert.Equal(-0.5, rows[1].EnergyGap[0], 12);
            using var bitmap = SKBitmap.Decode(picture);
            Assert.Equal((640, 3 * 320), (bitmap.Width, bitmap.Height));
            Assert.True(ColouredShare(bitmap) > 0.001, "no curve was drawn");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TrainingMetrics_BadLine_NamesFileAndLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["{\"step\":1,\"loss\":0.5,\"energyGap\":[0.1]}", "not json"]);
            var error = Assert.Throws<FormatException>(() => TrainingMetrics.Read(path));
            Assert.Contains(":2:", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LongRunAndDensities_Render()
    {
        var directory = Directory.CreateTempSubdirectory("rld-plot-").FullName;
        try
        {
            var records = Enumerable.Range(0, 11).Select(k => new LongRunRecord(100 * k, -k, -0.9, 0.9 + 0.01 * k, 0, 0.01 * k)).ToArray();
            var runs = new Dictionary<string, IReadOnlyList<LongRunRecord>> { ["data"] = records, ["samples"] = records };
            var grid = new double[20, 20];
            for (var r = 0; r < 20; r++)
                for (var c = 0; c < 20; c++) grid[r, c] = -((r - 10) * (r - 10) + (c - 10) * (c - 10));

            EvaluationPlots.SaveLongRun(Path.Combine(directory, "longrun.png"), runs);
            EvaluationPlots.SaveDensities(Path.Combine(directory, "densities.png"), [grid, grid, grid, grid], extent: 1.5);

            var mixtureRecords = records.Select(r => r with { ModeShares = [0.5, 0.3, 0.2] }).ToArray();
            EvaluationPlots.SaveLongRun(Path.Combine(directory, "longrun-modes.png"), new Dictionary<string, IReadOnlyList<LongRunRecord>> { ["data"] = mixtureRecords });

            using var longRun = SKBitmap.Decode(Path.Combine(directory, "longrun.png"));
            using var longRunModes = SKBitmap.Decode(Path.Combine(directory, "longrun-modes.png"));
            using var densities = SKBitmap.Decode(Path.Combine(directory, "densities.png"));
            Assert.Equal(3 * 320, longRun.Height);
            Assert.Equal(4 * 320, longRunModes.Height);
            Assert.Equal((3 * 360, 2 * 340), (densities.Width, densities.Height));
            Assert.True(ColouredShare(densities) > 0.2, "the heat maps are missing");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Share of pixels that are clearly coloured (not grey, black or white).</summary>
    private static double ColouredShare(SKBitmap bitmap)
    {
        var coloured = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Max(p.Red, Math.Max(p.Green, p.Blue)) - Math.Min(p.Red, Math.Min(p.Green, p.Blue)) > 60) coloured++;
            }
        return coloured / (bitmap.Width * bitmap.Height / 4.0);
    }
}

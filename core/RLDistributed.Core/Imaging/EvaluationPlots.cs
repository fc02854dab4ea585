using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Evaluation.LongRun;

namespace RLDistributed.Core.Imaging;

/// <summary>The evaluation figures, drawn with ScottPlot: training curves, long-run chain statistics, 2-D densities by level.</summary>
public static class EvaluationPlots
{
    /// <summary>
    /// Loss, energy gap per level, and each level's share of the loss −w_t·(F(pos) − F(neg)) when the loss weights are
    /// known, all smoothed by a moving average over about 1/50 of the run (single steps see few examples per level).
    /// </summary>
    public static void SaveTrainingCurves(string path, IReadOnlyList<TrainingMetricsRow> rows, IReadOnlyList<double>? lossWeights)
    {
        if (rows.Count == 0) throw new ArgumentException("no metrics rows", nameof(rows));
        var steps = rows.Select(r => (double)r.Step).ToArray();
        var window = Math.Max(1, rows.Count / 50);
        var levels = rows[0].EnergyGap.Length;

        var loss = NewPlot("Loss", "step", "loss");
        var raw = loss.Add.ScatterLine(steps, rows.Select(r => r.Loss).ToArray());
        raw.LegendText = "per step";
        raw.Color = ScottPlot.Colors.Gray.WithAlpha(0.4);
        var smooth = loss.Add.ScatterLine(steps, MovingAverage(rows.Select(r => r.Loss).ToArray(), window));
        smooth.LegendText = $"mean of {window}";
        smooth.LineWidth = 2;

        var gap = NewPlot("Energy gap F(pos) − F(neg) per level", "step", "gap");
        var weighted = NewPlot("Loss per level −w_t·gap_t", "step", "loss term");
        for (var t = 0; t < levels; t++)
        {
            var level = t;
            var gaps = MovingAverage(rows.Select(r => r.EnergyGap[level]).ToArray(), window);
            gap.Add.ScatterLine(steps, gaps).LegendText = $"t = {t}";
            if (lossWeights is not null)
                weighted.Add.ScatterLine(steps, gaps.Select(g => -lossWeights[level] * g).ToArray()).LegendText = $"t = {t}";
        }
        PlotPanels.Save(path, lossWeights is null ? [loss, gap] : [loss, gap, weighted]);
    }

    /// <summary>Mean level-0 log-density, coordinate range and distance from the start against the step, one line per start.</summary>
    public static void SaveLongRun(string path, IReadOnlyDictionary<string, IReadOnlyList<LongRunRecord>> runs)
    {
        var energy = NewPlot("Mean level-0 log-density F(a′x, 0)/s₀²", "Langevin step", "log p̃");
        var range = NewPlot("Coordinate range (data: [−1, 1])", "Langevin step", "value");
        var distance = NewPlot("Mean distance from the start", "Langevin step", "‖x_k − x_0‖");
        foreach (var (name, records) in runs)
        {
            var steps = records.Select(r => (double)r.Step).ToArray();
            energy.Add.ScatterLine(steps, records.Select(r => r.MeanLogDensity).ToArray()).LegendText = name;
            range.Add.ScatterLine(steps, records.Select(r => r.MaxValue).ToArray()).LegendText = $"{name} max";
            range.Add.ScatterLine(steps, records.Select(r => r.MinValue).ToArray()).LegendText = $"{name} min";
            distance.Add.ScatterLine(steps, records.Select(r => r.MeanDistance).ToArray()).LegendText = name;
        }
        // The curves rise to the right: the legend goes where they are not.
        energy.ShowLegend(ScottPlot.Alignment.LowerRight);
        distance.ShowLegend(ScottPlot.Alignment.LowerRight);
        var withModes = runs.Where(pair => pair.Value.Count > 0 && pair.Value.All(r => r.ModeShares is { Count: > 0 })).ToList();
        if (withModes.Count == 0)
        {
            PlotPanels.Save(path, [energy, range, distance]);
            return;
        }
        var (start, chains) = withModes[^1];
        var modes = NewPlot($"Share of the chains nearest each mode (from {start})", "Langevin step", "share");
        var modeSteps = chains.Select(r => (double)r.Step).ToArray();
        for (var k = 0; k < chains[0].ModeShares!.Count; k++)
        {
            var mode = k;
            modes.Add.ScatterLine(modeSteps, chains.Select(r => r.ModeShares![mode]).ToArray()).LegendText = $"mode {mode}";
        }
        PlotPanels.Save(path, [energy, range, distance, modes]);
    }

    /// <summary>A sample-quality metric of a run's checkpoints against the training step, with modes covered beside it when known.</summary>
    public static void SaveProgress(string path, string metric, IReadOnlyList<(long Step, double Value, int? ModesCovered)> points)
    {
        if (points.Count == 0) throw new ArgumentException("no points", nameof(points));
        var steps = points.Select(p => (double)p.Step).ToArray();
        var quality = NewPlot($"{metric} of samples against training (lower is better)", "training step", metric);
        var line = quality.Add.ScatterLine(steps, points.Select(p => p.Value).ToArray());
        line.LegendText = metric;
        line.LineWidth = 2;
        line.MarkerSize = 8;
        if (points.All(p => p.ModesCovered is null))
        {
            PlotPanels.Save(path, [quality]);
            return;
        }
        var modes = NewPlot("Modes covered (at least half their fair share)", "training step", "modes");
        modes.Add.ScatterLine(steps, points.Select(p => (double)(p.ModesCovered ?? 0)).ToArray()).LegendText = "modes covered";
        PlotPanels.Save(path, [quality, modes]);
    }

    /// <summary>
    /// One heat map per level of log p̃_t − max over [−extent, extent]², clipped 20 nats below the peak so the
    /// modes show (the values span hundreds of nats). Grids are [G, G] with row 0 at the top.
    /// </summary>
    public static void SaveDensities(string path, IReadOnlyList<double[,]> logDensities, double extent)
    {
        var plots = new List<ScottPlot.Plot>();
        for (var t = 0; t < logDensities.Count; t++)
        {
            var grid = logDensities[t];
            var max = grid.Cast<double>().Max();
            var shown = new double[grid.GetLength(0), grid.GetLength(1)];
            for (var r = 0; r < grid.GetLength(0); r++)
                for (var c = 0; c < grid.GetLength(1); c++) shown[r, c] = Math.Max(grid[r, c] - max, -20);
            var plot = NewPlot($"level {t}: log p̃ − max", "x", "y");
            var heatmap = plot.Add.Heatmap(shown);
            heatmap.Extent = new ScottPlot.CoordinateRect(-extent, extent, -extent, extent);
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            plot.HideLegend();
            plots.Add(plot);
        }
        PlotPanels.Save(path, plots, columns: Math.Min(3, plots.Count), panelWidth: 360, panelHeight: 340);
    }

    private static ScottPlot.Plot NewPlot(string title, string x, string y)
    {
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return plot;
    }

    /// <summary>Trailing moving average that skips NaN (levels absent from a step).</summary>
    private static double[] MovingAverage(double[] values, int window)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (sum, count) = (0.0, 0);
            for (var j = Math.Max(0, i - window + 1); j <= i; j++)
            {
                if (double.IsNaN(values[j])) continue;
                sum += values[j];
                count++;
            }
            result[i] = count == 0 ? double.NaN : sum / count;
        }
        return result;
    }
}

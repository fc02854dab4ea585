using RLDistributed.Core.Evaluation;
using SkiaSharp;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary><c>rld train --workers 2</c> (a coordinator and two worker processes), resumed, then <c>rld plot</c> on what it wrote.</summary>
public sealed class TrainWorkersEndToEndTests
{
    [Fact]
    public async Task TwoWorkers_ResumedFromAnOlderCheckpoint_MetricsHoldEveryStepOnce_AndPlotDrawsTheCurves()
    {
        using var scratch = new ScratchDirectory("rld-train-workers-");
        var common = new[] { "--preset", "toy2d", "--workers", "2", "--batch", "256", "--seed", "3", "--threads", "1" };

        var first = await RldProcess.RunAsync(["train", .. common, "--steps", "20", "--checkpoint-every", "10", "--out", scratch.Path]);
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var metricsPath = Path.Combine(scratch.Path, "metrics.jsonl");
        var before = TrainingMetrics.Read(metricsPath);
        Assert.Equal(Enumerable.Range(1, 20).Select(s => (long)s), before.Select(r => r.Step));

        // Back to step 10: steps 11-20 are trained again and replace their lines; 21-30 follow.
        var resumed = await RldProcess.RunAsync(["train", "--workers", "2", "--threads", "1", "--steps", "30", "--resume", Path.Combine(scratch.Path, "checkpoints", "step-000000010")]);
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        var after = TrainingMetrics.Read(metricsPath);
        Assert.Equal(Enumerable.Range(1, 30).Select(s => (long)s), after.Select(r => r.Step));
        Assert.Equal(before.Take(10).Select(r => r.Loss), after.Take(10).Select(r => r.Loss));
        // The same seed, state and data order: the steps done again give the same losses (up to the all-reduce's summation order).
        Assert.All(before.Skip(10).Zip(after.Skip(10)), pair => Assert.Equal(pair.First.Loss, pair.Second.Loss, 4));
        Assert.All(after, r => Assert.True(double.IsFinite(r.Loss) && r.EnergyGap.Length == 6 && r.Seconds > 0, $"step {r.Step}: {r}"));

        var plot = await RldProcess.RunAsync("plot", scratch.Path);
        Assert.True(plot.ExitCode == 0, plot.Error);
        using var curves = SKBitmap.Decode(Path.Combine(scratch.Path, "training-curves.png"));
        Assert.True(curves.Width > 100);
    }
}

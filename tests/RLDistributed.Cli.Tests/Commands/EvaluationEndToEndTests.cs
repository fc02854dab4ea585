using System.Text.Json;
using RLDistributed.Tests.Shared;
using SkiaSharp;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary>
/// <c>rld train</c>, then <c>rld sample</c>, <c>rld eval</c>, <c>rld eval longrun</c> and <c>rld plot</c> on what it saved,
/// as real processes; FID with seeded random Inception weights from the PyTorch reference (tests/peers).
/// </summary>
public sealed class EvaluationEndToEndTests
{
    [Fact]
    public async Task Toy2D_SampleEvalLongRunPlot_WriteTheirFiguresAndFiles()
    {
        using var run = new ScratchDirectory("rld-eval-");
        await Succeed("train", "--preset", "toy2d", "--steps", "5", "--batch", "32", "--seed", "4", "--out", run.Path, "--threads", "1",
            "--checkpoint-every", "2", "--keep-checkpoints", "5");

        await Succeed("sample", "--checkpoint", run["model"], "--count", "40", "--out", run["drawn.png"], "--npy", run["drawn.npy"], "--steps", "5", "--threads", "1");
        using (var levels = SKBitmap.Decode(run["drawn-levels.png"])) Assert.True(levels.Width > 6 * levels.Height, "one panel per level, side by side");
        Assert.Contains("'shape': (40, 2)", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(run["drawn.npy"]).AsSpan(10, 80)));

        var eval = await Succeed("eval", "--checkpoint", run["model"], "--count", "200", "--test-count", "200", "--ais-distributions", "50", "--ais-chains", "16", "--threads", "1");
        Assert.Contains("MMD²", eval.Output);
        using (var report = JsonDocument.Parse(File.ReadAllText(run["eval.json"])))
        {
            var figures = Figures(report);
            Assert.Equal("8gaussians", report.RootElement.GetProperty("dataset").GetString());
            Assert.True(figures["MMD² samples vs held-out"].GetProperty("value").GetDouble() >= 0);
            Assert.InRange(figures["modes covered"].GetProperty("value").GetDouble(), 0, 8);
            var ais = figures["log Z (AIS)"].GetProperty("value").GetDouble();
            var quadrature = figures["log Z (quadrature)"].GetProperty("value").GetDouble();
            Assert.Equal(ais - quadrature, figures["AIS − quadrature"].GetProperty("value").GetDouble(), 9);
            Assert.True(figures["log Z (AIS)"].GetProperty("standardError").GetDouble() > 0);
            Assert.Equal("nats", figures["test NLL"].GetProperty("unit").GetString());
        }
        Assert.True(File.Exists(run["densities.png"]));

        await Succeed("eval", "longrun", "--checkpoint", run["model"], "--steps", "20", "--chains", "8", "--every", "5", "--threads", "1");
        using (var longRun = JsonDocument.Parse(File.ReadAllText(run["longrun.json"])))
        {
            foreach (var start in new[] { "data", "samples" })
            {
                var steps = longRun.RootElement.GetProperty(start).EnumerateArray().Select(r => r.GetProperty("step").GetInt32()).ToArray();
                Assert.Equal([0, 5, 10, 15, 20], steps);
                // A 2-D mixture model's records say how many of the 8 modes the chains cover.
                Assert.All(longRun.RootElement.GetProperty(start).EnumerateArray(), r => Assert.InRange(r.GetProperty("modesCovered").GetInt32(), 0, 8));
            }
        }

        var progress = await Succeed("eval", "progress", "--checkpoints", run["checkpoints"], "--count", "200", "--threads", "1");
        Assert.Contains("MMD²", progress.Output);
        using (var points = JsonDocument.Parse(File.ReadAllText(run["progress.json"])))
        {
            var rows = points.RootElement.EnumerateArray().ToArray();
            Assert.Equal([2L, 4L, 5L], rows.Select(r => r.GetProperty("step").GetInt64()));
            Assert.All(rows, r => Assert.True(r.GetProperty("value").GetDouble() >= 0));
            Assert.All(rows, r => Assert.InRange(r.GetProperty("modesCovered").GetInt32(), 0, 8));
        }
        using (var curve = SKBitmap.Decode(run["progress.png"])) Assert.True(curve.Height >= 2 * 300, "the metric and the modes covered, one panel each");
        // --every: the checkpoints at multiples of 4, and the newest.
        await Succeed("eval", "progress", "--checkpoints", run["checkpoints"], "--count", "50", "--threads", "1", "--every", "4");
        using (var points = JsonDocument.Parse(File.ReadAllText(run["progress.json"])))
            Assert.Equal([4L, 5L], points.RootElement.EnumerateArray().Select(r => r.GetProperty("step").GetInt64()));

        var plot = await Succeed("plot", run.Path);
        foreach (var picture in new[] { "training-curves.png", "densities.png", "longrun.png" })
        {
            Assert.Contains(picture, plot.Output);
            using var bitmap = SKBitmap.Decode(run[picture]);
            Assert.True(bitmap.Width >= 600, picture);
        }
    }

    [Fact]
    public async Task FashionMnist_Eval_FdResNet18CachedAndInceptionFidFromTheWeightsFileOrSaidToBeMissing()
    {
        // Returns early (passes) only when the Debian package dataset-fashion-mnist is not installed.
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist")) return;
        using var run = new ScratchDirectory("rld-eval-images-");
        await Succeed("train", "--preset", "fashion-mnist", "--steps", "2", "--batch", "8", "--out", run.Path, "--threads", "2");
        string[] eval = ["eval", "--checkpoint", run["model"], "--count", "4", "--test-count", "4", "--data-count", "6",
            "--ais-distributions", "5", "--ais-chains", "2", "--steps", "3", "--stats-cache", run["cache"], "--threads", "2"];

        var withoutWeights = await SucceedWith(NoWeightsVariable, eval);
        Assert.Contains("FD-ResNet18", withoutWeights.Output);
        Assert.Contains("not computed", withoutWeights.Output);
        Assert.Equal(Enumerable.Range(1, 6).Select(done => $"sampling 4 images: {done}/6 levels"),
            withoutWeights.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("sampling 4 images:", StringComparison.Ordinal)));
        var reportWithoutWeights = File.ReadAllText(run["eval.json"]);
        using (var report = JsonDocument.Parse(reportWithoutWeights))
        {
            var figures = Figures(report);
            Assert.True(figures["FD-ResNet18"].GetProperty("value").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Null, figures["FID (Inception)"].GetProperty("value").ValueKind);
            var why = figures["FID (Inception)"].GetProperty("note").GetString()!;
            Assert.Contains("--inception-weights", why);
            Assert.Contains("RLD_FID_INCEPTION_WEIGHTS", why);
            Assert.Contains("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth", why);
            Assert.Equal("bits/dim", figures["test NLL"].GetProperty("unit").GetString());
        }
        Assert.Single(Directory.GetFiles(run["cache"], "fashion-mnist-FD-ResNet18-*.stats"));

        // A file that is not the weights: one line naming it, exit 1, before any sampling, and eval.json kept.
        File.WriteAllText(run["not-weights.pth"], "not a PyTorch file");
        var refused = await RldProcess.RunWithEnvironmentAsync(NoWeightsVariable, [.. eval, "--inception-weights", run["not-weights.pth"]]);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith($"rld: {run["not-weights.pth"]}: ", refused.Error);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("sampling", refused.Output);
        Assert.Equal(reportWithoutWeights, File.ReadAllText(run["eval.json"]));

        // Seeded random weights in the real file's format, named by the environment variable.
        PyTorchPeer.Run("fid_inception_reference.py", run["weights"], "--weights-only");
        var weights = run["weights/weights-legacy.pth"];
        var withWeights = await SucceedWith(new Dictionary<string, string> { ["RLD_FID_INCEPTION_WEIGHTS"] = weights }, eval);
        Assert.Contains("FID (Inception)", withWeights.Output);
        using (var report = JsonDocument.Parse(File.ReadAllText(run["eval.json"])))
        {
            var fid = Figures(report)["FID (Inception)"];
            Assert.True(fid.GetProperty("value").GetDouble() > 0);
            Assert.Contains("not pytorch-fid's release", fid.GetProperty("note").GetString());
        }
        Assert.Single(Directory.GetFiles(run["cache"], "fashion-mnist-FID-Inception-*.stats"));
    }

    /// <summary>The environment of a run that must not see a weights file the machine's environment may name.</summary>
    private static Dictionary<string, string> NoWeightsVariable => new() { ["RLD_FID_INCEPTION_WEIGHTS"] = "" };

    [Fact]
    public async Task FashionMnist_Progress_MeasuresEveryCheckpointAndDrawsOneRowEach()
    {
        // Returns early (passes) only when the Debian package dataset-fashion-mnist is not installed.
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist")) return;
        using var run = new ScratchDirectory("rld-progress-");
        await Succeed("train", "--preset", "fashion-mnist", "--steps", "2", "--batch", "8", "--out", run.Path, "--threads", "2", "--checkpoint-every", "1");
        // A damaged checkpoint is named and skipped; the others are measured.
        Directory.CreateDirectory(Path.Combine(run["checkpoints"], "step-000000003"));

        var progress = await Succeed("eval", "progress", "--checkpoints", run["checkpoints"], "--count", "6", "--data-count", "16", "--steps", "2",
            "--stats-cache", run["cache"], "--columns", "5", "--threads", "2");

        Assert.Contains("FD-ResNet18", progress.Output);
        Assert.Contains("skipped", progress.Output);
        using (var points = JsonDocument.Parse(File.ReadAllText(run["progress.json"])))
        {
            var rows = points.RootElement.EnumerateArray().ToArray();
            Assert.Equal([1L, 2L], rows.Select(r => r.GetProperty("step").GetInt64()));
            Assert.All(rows, r => Assert.True(r.GetProperty("value").GetDouble() > 0));
            Assert.All(rows, r => Assert.Equal("FD-ResNet18", r.GetProperty("metric").GetString()));
        }
        // 32×32 images with a 2-pixel gap: 5 columns, one row per checkpoint.
        using (var grid = SKBitmap.Decode(run["progress-samples.png"])) Assert.Equal((5 * 34 + 2, 2 * 34 + 2), (grid.Width, grid.Height));
        Assert.Single(Directory.GetFiles(run["cache"], "fashion-mnist-FD-ResNet18-*.stats"));

        var empty = await RldProcess.RunAsync("eval", "progress", "--checkpoints", run["cache"]);
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("no valid checkpoint", empty.Error);
    }

    private static Dictionary<string, JsonElement> Figures(JsonDocument report) =>
        report.RootElement.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);

    private static Task<RldProcess.Result> Succeed(params string[] args) => SucceedWith(new Dictionary<string, string>(), args);

    private static async Task<RldProcess.Result> SucceedWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = await RldProcess.RunWithEnvironmentAsync(environment, args);
        Assert.True(result.ExitCode == 0, $"rld {string.Join(' ', args)} exited {result.ExitCode}: {result.Error}");
        return result;
    }
}

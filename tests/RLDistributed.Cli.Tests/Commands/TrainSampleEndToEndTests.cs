using System.Text.Json;
using SkiaSharp;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary><c>rld train</c> then <c>rld sample</c> from what it saved, as two real processes.</summary>
public sealed class TrainSampleEndToEndTests
{
    [Fact]
    public async Task TrainThenSample_Toy2D_WritesModelMetricsAndPictures()
    {
        var directory = Directory.CreateTempSubdirectory("rld-train-").FullName;
        try
        {
            var train = await RldProcess.RunAsync("train", "--preset", "toy2d", "--steps", "5", "--batch", "32", "--seed", "4", "--out", directory, "--threads", "1");
            Assert.True(train.ExitCode == 0, train.Error);
            Assert.True(File.Exists(Path.Combine(directory, "model", "model.json")));
            var metrics = File.ReadAllLines(Path.Combine(directory, "metrics.jsonl"));
            Assert.Equal(5, metrics.Length);
            Assert.Equal(5, JsonDocument.Parse(metrics[^1]).RootElement.GetProperty("step").GetInt32());
            using (var final = SKBitmap.Decode(Path.Combine(directory, "samples.png"))) Assert.True(final.Width > 100);

            var picture = Path.Combine(directory, "drawn.png");
            var sample = await RldProcess.RunAsync("sample", "--checkpoint", Path.Combine(directory, "model"), "--count", "50", "--out", picture, "--threads", "1");
            Assert.True(sample.ExitCode == 0, sample.Error);
            using var drawn = SKBitmap.Decode(picture);
            Assert.NotNull(drawn);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

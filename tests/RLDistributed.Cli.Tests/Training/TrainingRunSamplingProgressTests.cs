using RLDistributed.Cli.Tests.Commands;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Data;
using RLDistributed.Core.Presets;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Tests.Training;

/// <summary>A one-process run reports the levels of every picture it draws, between the steps it draws them after.</summary>
public sealed class TrainingRunSamplingProgressTests
{
    [Fact]
    public void Run_PictureAfterStepOneAndAtTheEnd_ReportsEachPicturesLevelsInOrderBetweenTheSteps()
    {
        using var scratch = new ScratchDirectory("rld-run-");
        var toy = TrainingPresets.Get("toy2d");
        var preset = toy with { Training = toy.Training with { Steps = 2, GlobalBatch = 16 }, SampleEvery = 1, SampleCount = 50 };
        var dataset = DatasetCatalog.Open(preset.Dataset, null, preset.PadTo32, preset.Training.Seed);
        var run = new TrainingRun(new RunSpec { Preset = preset, CheckpointEvery = 0 }, "progress", dataset, scratch.Path, CPU, resumeFrom: null);
        var events = new List<string>();

        run.Run(step => events.Add($"step {step.Step}"), CancellationToken.None,
            drawing => events.Add($"{Path.GetFileName(drawing.Path)} {drawing.Count} {drawing.Progress.LevelsDone}/{drawing.Progress.Levels}"));

        string[] levels(string picture) => [.. Enumerable.Range(0, 7).Select(done => $"{picture} 50 {done}/6")];
        Assert.Equal(["step 1", .. levels("samples-0000001.png"), "step 2", .. levels("samples.png")], events);
        Assert.True(File.Exists(run.FinalSamplesPath));
        Assert.True(File.Exists(scratch["samples-0000001.png"]));
    }
}

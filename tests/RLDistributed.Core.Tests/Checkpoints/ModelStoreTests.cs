using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Tests.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Checkpoints;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rld-store-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("mlp")]
    [InlineData("resnet")]
    public void SaveLoad_RoundTrip_SameEnergiesAndManifest(string architecture)
    {
        using var scope = NewDisposeScope();
        var spec = architecture == "mlp"
            ? TrainingHarness.TinyMlp
            : ModelSpec.ForImage(new ImageEnergyNetworkOptions { Channels = 16, ChannelMultipliers = [1, 2], ResBlocksPerLevel = 1, ImageChannels = 1, ImageSize = 8 });
        using var energy = EnergyModelFactory.Create(spec, 3, CPU);
        using var ema = EnergyModelFactory.Create(spec, 4, CPU);
        var options = TrainingHarness.TinyOptions(3);
        var manifest = new ModelManifest
        {
            Preset = "test", Dataset = "test", ExampleShape = energy.ExampleShape.Select(d => (int)d).ToArray(), Model = spec, Training = options,
            Step = 7, Schedule = ScheduleSnapshot.Of(DiffusionSchedule.Create(options.Levels)),
        };
        ModelStore.Save(_directory, manifest, energy, ema);

        using var loaded = ModelStore.Load(_directory, CPU);
        Assert.Equal(7, loaded.Manifest.Step);
        Assert.Equal(options, loaded.Manifest.Training);
        Assert.Equal(spec.Architecture, loaded.Manifest.Model.Architecture);
        Assert.Equal(DiffusionSchedule.Create(options.Levels).StepSize, loaded.Schedule.StepSize);
        var input = randn([3, .. energy.ExampleShape]);
        var levels = tensor(new long[] { 0, 2, 5 });
        // The state dicts are equal, so the SN vectors start alike and one forward matches bitwise.
        Assert.True(energy.forward(input, levels).eq(loaded.Energy.forward(input, levels)).all().item<bool>());
        Assert.True(ema.forward(input, levels).eq(loaded.Ema.forward(input, levels)).all().item<bool>());
    }

    [Fact]
    public void Load_MissingDirectory_NamesIt()
    {
        var error = Assert.Throws<ModelStoreException>(() => ModelStore.Load(_directory, CPU));
        Assert.Contains(_directory, error.Message);
    }

    [Fact]
    public void Load_TruncatedWeights_NamesTheFile()
    {
        using var scope = NewDisposeScope();
        using var energy = EnergyModelFactory.Create(TrainingHarness.TinyMlp, 1, CPU);
        var options = TrainingHarness.TinyOptions(1);
        ModelStore.Save(_directory, new ModelManifest
        {
            Preset = "t", Dataset = "t", ExampleShape = [2], Model = TrainingHarness.TinyMlp, Training = options,
            Schedule = ScheduleSnapshot.Of(DiffusionSchedule.Create(options.Levels)),
        }, energy, energy);
        var weights = Path.Combine(_directory, ModelStore.EnergyFile);
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..40]);

        var error = Assert.Throws<ModelStoreException>(() => ModelStore.Load(_directory, CPU));
        Assert.Contains(ModelStore.EnergyFile, error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

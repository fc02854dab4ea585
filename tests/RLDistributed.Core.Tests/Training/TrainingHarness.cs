using RLDistributed.Core.Data;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Training;

/// <summary>Small trainers for tests: a tiny MLP on 8 Gaussians, few Langevin steps.</summary>
internal static class TrainingHarness
{
    public static ModelSpec TinyMlp { get; } = ModelSpec.ForMlp(new MlpEnergyNetworkOptions { Hidden = 16, Blocks = 1, EmbeddingDimensions = 8 });

    public static TrainingOptions TinyOptions(ulong seed) => new()
    {
        GlobalBatch = 24, Steps = 4, LangevinSteps = 4, LearningRate = 1e-3, WarmupSteps = 2, Seed = seed,
    };

    /// <summary>Trains <paramref name="steps"/> steps and returns every state tensor's bytes (parameters, buffers, EMA).</summary>
    public static byte[][] TrainAndSnapshot(ulong seed, int steps)
    {
        using var scope = NewDisposeScope();
        var data = ToyDatasets.Create("8gaussians", 512, 3);
        var options = TinyOptions(seed);
        using var energy = EnergyModelFactory.Create(TinyMlp, seed, CPU);
        using var ema = EnergyModelFactory.Create(TinyMlp, seed, CPU);
        using var trainer = new Trainer(energy, ema, data, options, CPU);
        for (var step = 0; step < steps; step++) trainer.TrainStep(step);
        return energy.state_dict().Values.Concat(ema.state_dict().Values).Select(t => t.bytes.ToArray()).ToArray();
    }
}

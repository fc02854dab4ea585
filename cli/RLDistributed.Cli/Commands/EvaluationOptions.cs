using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using TorchSharp;

namespace RLDistributed.Cli.Commands;

/// <summary>Options that the sampling and evaluation commands share, with their validation.</summary>
public static class EvaluationOptions
{
    /// <summary>--checkpoint DIR: a model directory (model.json, energy.bin, ema.bin).</summary>
    public static Option<string> Checkpoint() => new("--checkpoint") { Description = "Model directory (holding model.json)", Required = true };

    /// <summary>--noise-scale λ in [0, 10].</summary>
    public static Option<double?> NoiseScale()
    {
        var option = new Option<double?>("--noise-scale") { Description = "Langevin noise scale λ (default 1.0; the paper's final samples use 0.99)" };
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<double?>(r, out var value) && value is { } v && (v < 0 || v > 10)) r.AddError($"--noise-scale must be between 0 and 10, got {v}");
        });
        return option;
    }

    /// <summary>--steps K: Langevin steps per level, 1–10,000 (default: the model's own K).</summary>
    public static Option<int?> LangevinSteps() =>
        CommonOptions.InRange("--steps", "Langevin steps per level (default: the K the model was trained with)", 1, 10_000);

    /// <summary>Loads a model; a directory that is not one is a usage error naming --checkpoint.</summary>
    public static LoadedModel LoadModel(string directory, torch.Device device)
    {
        try
        {
            return ModelStore.Load(directory, device);
        }
        catch (ModelStoreException e)
        {
            throw new CliUsageException("--checkpoint", e.Message);
        }
    }
}

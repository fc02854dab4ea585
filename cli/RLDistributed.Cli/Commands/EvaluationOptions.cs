using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Energy;
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
    public static Option<int?> LangevinSteps()
    {
        var option = new Option<int?>("--steps") { Description = "Langevin steps per level (default: the K the model was trained with)" };
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<int?>(r, out var value) && value is { } k && (k < 1 || k > 10_000)) r.AddError($"--steps must be between 1 and 10000, got {k}");
        });
        return option;
    }

    /// <summary>--ema (the default) or --raw: which network samples.</summary>
    public static (Option<bool> Ema, Option<bool> Raw) NetworkChoice() =>
        (new Option<bool>("--ema") { Description = "Use the EMA network (the default, as the paper samples)" },
         new Option<bool>("--raw") { Description = "Use the raw trained network instead of the EMA network" });

    /// <summary>The network that --ema/--raw picks; both at once is a usage error.</summary>
    public static EnergyNetwork ChooseNetwork(ParseResult parse, Option<bool> ema, Option<bool> raw, LoadedModel model)
    {
        if (parse.GetValue(ema) && parse.GetValue(raw)) throw new CliUsageException("--raw", "cannot be combined with --ema");
        return parse.GetValue(raw) ? model.Energy : model.Ema;
    }

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

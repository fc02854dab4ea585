using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Energy;
using TorchSharp;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// The options of every command that loads a saved model and runs it: --checkpoint, --seed, --noise-scale,
/// --ema|--raw, --threads and --device, declared once.
/// </summary>
public sealed class ModelOptionSet
{
    /// <summary>--checkpoint DIR.</summary>
    public Option<string> Checkpoint { get; } = EvaluationOptions.Checkpoint();

    /// <summary>--seed S (default: the run's seed).</summary>
    public Option<ulong?> Seed { get; } = CommonOptions.Seed();

    /// <summary>--noise-scale λ.</summary>
    public Option<double?> NoiseScale { get; } = EvaluationOptions.NoiseScale();

    /// <summary>--ema (the default).</summary>
    public Option<bool> Ema { get; } = new("--ema") { Description = "Use the EMA network (the default, as the paper samples)" };

    /// <summary>--raw.</summary>
    public Option<bool> Raw { get; } = new("--raw") { Description = "Use the raw trained network instead of the EMA network" };

    /// <summary>--threads N.</summary>
    public Option<int?> Threads { get; } = CommonOptions.Threads();

    /// <summary>--device cpu|cuda[:i].</summary>
    public Option<string> Device { get; } = CommonOptions.Device();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Checkpoint, Seed, NoiseScale, Ema, Raw, Threads, Device }) command.Options.Add(option);
    }

    /// <summary>Sets up torch, loads the model and picks the network; the caller disposes the model.</summary>
    public (torch.Device Device, LoadedModel Model, EnergyNetwork Network) Open(ParseResult parse)
    {
        var device = TorchSetup.Configure(parse.GetValue(Device)!, parse.GetValue(Threads));
        if (parse.GetValue(Ema) && parse.GetValue(Raw)) throw new CliUsageException("--raw", "cannot be combined with --ema");
        var model = EvaluationOptions.LoadModel(parse.GetValue(Checkpoint)!, device);
        return (device, model, parse.GetValue(Raw) ? model.Energy : model.Ema);
    }

    /// <summary>"raw" or "EMA", for reports.</summary>
    public string NetworkName(ParseResult parse) => parse.GetValue(Raw) ? "raw" : "EMA";
}

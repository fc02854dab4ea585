using RLDistributed.Core.Data;
using System.Text.Json;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Evaluation;
using RLDistributed.Core.Evaluation.LongRun;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Evaluation;

/// <summary>Long-run chains of <c>rld eval longrun</c>, started from data and from the model's own samples.</summary>
public static class LongRunEvaluation
{
    /// <summary>The two starts, in the order they are run and drawn.</summary>
    public static IReadOnlyList<string> Starts { get; } = ["data", "samples"];

    /// <summary>Runs both starts and returns their records by start name.</summary>
    public static Dictionary<string, IReadOnlyList<LongRunRecord>> Run(LoadedModel model, EnergyNetwork network, int chains, int steps,
        int every, double noiseScale, ulong seed, string? dataPath, Device device, Action<string> say, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var runner = new LongRunChains(network, model.Schedule);
        var data = EvaluationData.Open(model, dataPath, chains, seed + 7);
        var fromData = EvaluationData.Rows(data, 0, Math.Min(chains, data.Count)).to(device);
        say($"{chains} chains from data, {steps} steps");
        var result = new Dictionary<string, IReadOnlyList<LongRunRecord>>
        {
            ["data"] = runner.Run(fromData, steps, every, noiseScale, seed, cancellationToken: cancellationToken, modes: data as GaussianMixture2D),
        };
        say($"{chains} chains from the model's samples, {steps} steps");
        var fromSamples = ModelSampling.Draw(model, network, chains, noiseScale, model.Manifest.Training.LangevinSteps, seed, device, cancellationToken);
        result["samples"] = runner.Run(fromSamples, steps, every, noiseScale, seed + 1, cancellationToken: cancellationToken, modes: data as GaussianMixture2D);
        return result;
    }

    /// <summary>
    /// For a 2-D mixture, the share of the model's level-0 mass nearest each mode (quadrature on a fine grid), the
    /// shares a faithful long-run chain tends to; null for other data.
    /// </summary>
    public static double[]? ModelModeMass(LoadedModel model, EnergyNetwork network, string? dataPath, ulong seed, Device device) =>
        EvaluationData.Open(model, dataPath, 1, seed) is GaussianMixture2D mixture
            ? ModeMass.OfLevelZero(network, model.Schedule, mixture, device)
            : null;

    /// <summary>Writes the records as {"data": [...], "samples": [...]}.</summary>
    public static void WriteJson(string path, IReadOnlyDictionary<string, IReadOnlyList<LongRunRecord>> runs) =>
        File.WriteAllText(path, JsonSerializer.Serialize(runs, ModelStore.Json));

    /// <summary>Reads what <see cref="WriteJson"/> wrote.</summary>
    public static Dictionary<string, IReadOnlyList<LongRunRecord>> ReadJson(string path) =>
        JsonSerializer.Deserialize<Dictionary<string, LongRunRecord[]>>(File.ReadAllText(path), ModelStore.Json)!
            .ToDictionary(pair => pair.Key, pair => (IReadOnlyList<LongRunRecord>)pair.Value);
}

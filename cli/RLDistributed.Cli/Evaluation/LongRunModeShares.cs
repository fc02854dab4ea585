using System.Text.Json;
using RLDistributed.Core.Checkpoints;
using Spectre.Console;

namespace RLDistributed.Cli.Evaluation;

/// <summary>
/// Where the long-run chains of a 2-D model ended, mode by mode, beside the model's own level-0 mass per mode: chains
/// that sample the learned density faithfully end near the model's shares, whatever the data's equal weights are.
/// </summary>
/// <param name="ModelMass">Share of the level-0 density's mass nearest each mode (quadrature).</param>
/// <param name="FinalShares">Share of each start's chains nearest each mode after the last step.</param>
public sealed record LongRunModeShares(IReadOnlyList<double> ModelMass, IReadOnlyDictionary<string, IReadOnlyList<double>> FinalShares)
{
    /// <summary>Writes the shares as JSON.</summary>
    public void WriteJson(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, ModelStore.Json));

    /// <summary>One row per mode: the data's share, the model's mass and where each start's chains ended.</summary>
    public void Print(IAnsiConsole console)
    {
        var table = new Table().Title("Share of each mode: data, model mass (quadrature), chains after the last step");
        table.AddColumn("mode");
        table.AddColumn("data");
        table.AddColumn("model mass");
        foreach (var start in FinalShares.Keys) table.AddColumn(Markup.Escape($"chains from {start}"));
        for (var k = 0; k < ModelMass.Count; k++)
        {
            var mode = k;
            table.AddRow([mode.ToString(), (1.0 / ModelMass.Count).ToString("P1"), ModelMass[mode].ToString("P1"),
                .. FinalShares.Values.Select(shares => mode < shares.Count ? shares[mode].ToString("P1") : "")]);
        }
        console.Write(table);
    }
}

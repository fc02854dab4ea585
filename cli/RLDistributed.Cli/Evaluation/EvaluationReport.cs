using System.Text.Json;
using RLDistributed.Core.Checkpoints;
using Spectre.Console;

namespace RLDistributed.Cli.Evaluation;

/// <summary>What <c>rld eval</c> measured: printed as a table and written as JSON with the same figures.</summary>
public sealed record EvaluationReport(string Checkpoint, string Dataset, long Step, string Network, int Samples, IReadOnlyList<EvaluationFigure> Figures)
{
    /// <summary>Writes the report as indented camelCase JSON.</summary>
    public void WriteJson(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(path, JsonSerializer.Serialize(this, ModelStore.Json));
    }

    /// <summary>Prints the table.</summary>
    public void Print(IAnsiConsole console)
    {
        var table = new Table().Title($"{Dataset} model at step {Step} ({Network} network, {Samples} samples)");
        table.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("± SE").RightAligned())
            .AddColumn("unit").AddColumn("how");
        foreach (var figure in Figures)
        {
            table.AddRow(
                Markup.Escape(figure.Name),
                figure.Value is { } v ? Format(v) : "[yellow]not computed[/]",
                figure.StandardError is { } e ? Format(e) : "",
                Markup.Escape(figure.Unit),
                Markup.Escape(figure.Note));
        }
        console.Write(table);
    }

    private static string Format(double value) => value switch
    {
        _ when value == Math.Round(value) && Math.Abs(value) < 1e6 => value.ToString("0"),
        _ when Math.Abs(value) is >= 1e-3 and < 1e5 => value.ToString("0.0000"),
        _ => value.ToString("0.000e+0"),
    };
}

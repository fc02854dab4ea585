using System.Text.Json;

namespace RLDistributed.Core.Evaluation;

/// <summary>One line of a run's metrics.jsonl (written by <c>rld train</c>): the loss and F(pos) − F(neg) per level after a step.</summary>
public sealed record TrainingMetricsRow(long Step, double Loss, double[] EnergyGap, double Seconds);

/// <summary>Reads metrics.jsonl.</summary>
public static class TrainingMetrics
{
    /// <summary>The rows of <paramref name="path"/>; a level that no example had in a step reads as NaN.</summary>
    /// <exception cref="FormatException">a line is not a metrics object.</exception>
    public static IReadOnlyList<TrainingMetricsRow> Read(string path)
    {
        var rows = new List<TrainingMetricsRow>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var gaps = root.GetProperty("energyGap").EnumerateArray()
                    .Select(g => g.ValueKind == JsonValueKind.Number ? g.GetDouble() : double.NaN).ToArray();
                var seconds = root.TryGetProperty("seconds", out var s) ? s.GetDouble() : double.NaN;
                rows.Add(new TrainingMetricsRow(root.GetProperty("step").GetInt64(), Number(root.GetProperty("loss")), gaps, seconds));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path}:{number}: not a metrics line ({e.Message})", e);
            }
        }
        return rows;
    }

    /// <summary>A number, or one written as "NaN" or "Infinity" (JSON has no literal for them; a diverged loss is one).</summary>
    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var named)
            ? named
            : value.GetDouble();
}

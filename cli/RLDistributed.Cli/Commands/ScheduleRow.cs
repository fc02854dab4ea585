using System.Text.Json.Serialization;

namespace RLDistributed.Cli.Commands;

/// <summary>One level of <c>rld schedule --json</c>.</summary>
public sealed record ScheduleRow(
    [property: JsonPropertyName("t")] int T,
    [property: JsonPropertyName("a")] double A,
    [property: JsonPropertyName("sigma")] double Sigma,
    [property: JsonPropertyName("alphaBar")] double AlphaBar,
    [property: JsonPropertyName("sigmaBar")] double SigmaBar,
    [property: JsonPropertyName("stepSize")] double? StepSize,
    [property: JsonPropertyName("weight")] double? Weight);

/// <summary>Source-generated JSON for <see cref="ScheduleRow"/>.</summary>
[JsonSerializable(typeof(IEnumerable<ScheduleRow>))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class ScheduleJsonContext : JsonSerializerContext;

namespace RLDistributed.Cli.Evaluation;

/// <summary>The option values of <c>rld eval</c>, resolved against the model's defaults.</summary>
public sealed record EvaluationSettings
{
    public required int SampleCount { get; init; }
    public required int TestCount { get; init; }
    public required int DataCount { get; init; }
    public required ulong Seed { get; init; }
    public required double NoiseScale { get; init; }
    public required int LangevinSteps { get; init; }
    public required int AisDistributions { get; init; }
    public required int AisChains { get; init; }
    public required string? DataPath { get; init; }
    public required string StatisticsCache { get; init; }
    public required string OutputDirectory { get; init; }
    public required int Threads { get; init; }

    /// <summary>pytorch-fid's Inception weights (full path), or null when the standard FID is not computed.</summary>
    public required string? InceptionWeights { get; init; }
}

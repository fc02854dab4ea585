namespace RLDistributed.Cli.Evaluation;

/// <summary>The option values of <c>rld eval progress</c>.</summary>
public sealed record ProgressSettings
{
    /// <summary>Samples drawn from every checkpoint, the same seed for each so the pictures are comparable (null: 256 for images, 2000 for 2-D).</summary>
    public required int? SampleCount { get; init; }

    /// <summary>Data images whose feature statistics FD compares with (images only).</summary>
    public required int DataCount { get; init; }

    /// <summary>Samples per checkpoint shown in the progress picture (one row each).</summary>
    public required int PictureColumns { get; init; }

    public required ulong? Seed { get; init; }
    public required double NoiseScale { get; init; }
    public required int? LangevinSteps { get; init; }
    public required bool UseRawNetwork { get; init; }
    public required string? DataPath { get; init; }
    public required string StatisticsCache { get; init; }
    public required int Threads { get; init; }
}

namespace RLDistributed.Core.Checkpoints;

/// <summary>manifest.json: written last, after every file it lists is durable.</summary>
public sealed record CheckpointManifest
{
    /// <summary>The format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The run the checkpoint belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>The step training continues with.</summary>
    public required long Step { get; init; }

    /// <summary>Workers in the run when it was saved (any number may resume it).</summary>
    public required int WorldSize { get; init; }

    /// <summary>When it was written.</summary>
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Every other file of the directory.</summary>
    public required IReadOnlyList<CheckpointFileEntry> Files { get; init; }
}

/// <summary>One file of a checkpoint with its size and SHA-256 (lower-case hex).</summary>
public sealed record CheckpointFileEntry(string Name, long Size, string Sha256);

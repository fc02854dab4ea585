namespace RLDistributed.Coordinator.Checkpointing;

/// <summary>
/// One line of the coordinator's journal: a generation formed (with its members in rank order) or a
/// checkpoint committed. Enough to carry a run across a coordinator restart.
/// </summary>
public sealed record JournalEntry
{
    /// <summary>"generation", "commit" or "completed".</summary>
    public required string Kind { get; init; }

    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The generation formed, or in which the commit happened.</summary>
    public long Generation { get; init; }

    /// <summary>Worker ids in rank order (generation entries).</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>The committed checkpoint's step (commit entries).</summary>
    public long Step { get; init; }

    /// <summary>The committed checkpoint's directory (commit entries).</summary>
    public string Directory { get; init; } = "";

    /// <summary>When it was written.</summary>
    public DateTimeOffset Utc { get; init; }
}

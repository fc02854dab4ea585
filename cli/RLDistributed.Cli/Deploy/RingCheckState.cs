namespace RLDistributed.Cli.Deploy;

/// <summary>Where a ring check stands after one look at the coordinator: Pending → Passed or Failed (both final).</summary>
public enum RingCheckState
{
    /// <summary>Not decided yet: workers still joining, or no step completed since the first look.</summary>
    Pending,

    /// <summary>Every worker is in the ring and it completed all-reduce steps.</summary>
    Passed,

    /// <summary>The run is not the expected one, or it failed.</summary>
    Failed,
}

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// Where a run is: Waiting (first rendezvous) → Running ⇄ Reforming (a worker died, left or joined: the
/// survivors rejoin and the ring is re-formed at a new generation) → Completed (every rank left after the last
/// step) or Failed (too few workers, too many restarts, or ranks diverged). Completed and Failed are final.
/// </summary>
public enum RunPhase
{
    /// <summary>Waiting for workers to join.</summary>
    Waiting,

    /// <summary>All seats taken; training.</summary>
    Running,

    /// <summary>Membership changed; waiting for the members of the next generation to rejoin.</summary>
    Reforming,

    /// <summary>Every rank finished.</summary>
    Completed,

    /// <summary>The run stopped on an error.</summary>
    Failed,
}

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// Where a run is: Waiting (rendezvous) → Running (all seats taken) → Completed (every rank left after the
/// last step) or Failed (a rank died, left with an error, or ranks diverged). Completed and Failed are final.
/// </summary>
public enum RunPhase
{
    /// <summary>Waiting for workers to join.</summary>
    Waiting,

    /// <summary>All seats taken; training.</summary>
    Running,

    /// <summary>Every rank finished.</summary>
    Completed,

    /// <summary>The run stopped on an error.</summary>
    Failed,
}

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>One worker the run knows: where it serves, what we last heard, and its seat in the current generation.</summary>
internal sealed class Member(string workerId, string collectiveEndpoint, string dataEndpoint, DateTimeOffset joinedAt)
{
    public string WorkerId { get; } = workerId;
    public string CollectiveEndpoint { get; set; } = collectiveEndpoint;
    public string DataEndpoint { get; set; } = dataEndpoint;

    /// <summary>Rank in the current generation (-1: not seated).</summary>
    public int Rank { get; set; } = -1;
    public DateTimeOffset LastSeen { get; set; } = joinedAt;
    public long LastStep { get; set; }

    /// <summary>The step its in-memory state is at, as it said when it (re)joined (-1: none).</summary>
    public long HeldStep { get; set; } = -1;

    /// <summary>It has asked for a seat in the generation being formed.</summary>
    public bool Rejoined { get; set; }

    /// <summary>Declared dead (silent, or it left with an error); it may come back as a restart.</summary>
    public bool Dead { get; set; }
    public bool Left { get; set; }
    public bool Completed { get; set; }

    /// <summary>Known only from the journal of a restarted coordinator, not yet heard from: it gives way to new workers.</summary>
    public bool Provisional { get; set; }

    /// <summary>Counted for the run: not dead and not left.</summary>
    public bool Active => !Dead && !Left;
}

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>One seat of the run: who holds it and what we last heard.</summary>
internal sealed class Member(int rank, string workerId, string collectiveEndpoint, string dataEndpoint, DateTimeOffset joinedAt)
{
    public int Rank { get; } = rank;
    public string WorkerId { get; } = workerId;
    public string CollectiveEndpoint { get; } = collectiveEndpoint;
    public string DataEndpoint { get; } = dataEndpoint;
    public DateTimeOffset LastSeen { get; set; } = joinedAt;
    public long LastStep { get; set; }
    public bool Left { get; set; }
    public bool Completed { get; set; }
}

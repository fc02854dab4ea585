namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// At most a given number of joins in any one-second window. A join beyond it is refused with Unavailable, which
/// a real worker retries with back-off; a client hammering Join cannot make the coordinator re-form the ring or
/// grow its member list faster than this.
/// </summary>
internal sealed class JoinRateGate(int perSecond, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly Lock _gate = new();

    /// <summary>Counts a join and says whether it is within the bound.</summary>
    public bool TryEnter()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_recent.Count > 0 && now - _recent.Peek() >= Window) _recent.Dequeue();
            if (_recent.Count >= perSecond) return false;
            _recent.Enqueue(now);
            return true;
        }
    }
}

namespace RLDistributed.Coordinator;

/// <summary>Fixed bounds of the coordinator's endpoint.</summary>
public static class CoordinatorConstants
{
    /// <summary>
    /// The largest request accepted: 1 MiB. The biggest real one, a step report, is a few KB (per-level sums and a
    /// hash); anything larger is refused with ResourceExhausted before it is parsed.
    /// </summary>
    public const int MaxReceiveMessageBytes = 1 << 20;
}

namespace RLDistributed.Worker.Collective;

/// <summary>
/// A ring neighbour broke the collective protocol: a chunk or handshake that does not match what this rank
/// expects (run, generation, rank, sequence, step, offset, length) or a malformed frame. The ring cannot
/// continue; summing the data anyway would give a silently wrong gradient.
/// </summary>
public sealed class CollectiveProtocolException : Exception
{
    /// <summary>Creates the exception with a message that says what differed.</summary>
    public CollectiveProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the fault that revealed the violation.</summary>
    public CollectiveProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

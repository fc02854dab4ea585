namespace RLDistributed.Worker.Coordination;

/// <summary>The worker could not reach a coordinator at its address: nothing answered, or something else did.</summary>
public abstract class CoordinatorConnectionException(Uri address, string message) : Exception(message)
{
    /// <summary>The address tried.</summary>
    public Uri Address { get; } = address;
}

namespace RLDistributed.Coordinator.Hosting;

/// <summary>The address could not be bound (in use, or not an address of this machine).</summary>
public sealed class EndpointBindException(string address, Exception inner)
    : Exception($"cannot listen on {address}: {inner.Message}", inner)
{
    /// <summary>The address that failed.</summary>
    public string Address { get; } = address;
}

namespace RLDistributed.Worker.Coordination;

/// <summary>No coordinator answered at the address within the connect timeout.</summary>
public sealed class CoordinatorUnreachableException(Uri address, TimeSpan timeout, string detail)
    : CoordinatorConnectionException(address, $"coordinator {address} is unreachable after {timeout.TotalSeconds:0.#} s: {detail}");

using System.Net;
using System.Net.Sockets;

namespace RLDistributed.Worker.Hosting;

/// <summary>Turns a peer's advertised host:port, an address or a DNS name, into the address to connect to.</summary>
public static class PeerEndPoint
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Resolves <paramref name="endpoint"/>. A name that does not resolve yet is retried until
    /// <paramref name="timeout"/>: a StatefulSet pod's DNS record can appear a moment after the pod joined.
    /// </summary>
    /// <exception cref="ArgumentException">the endpoint is not host:port, or the name did not resolve in time.</exception>
    public static async Task<IPEndPoint> ResolveAsync(string endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IPEndPoint.TryParse(endpoint, out var address) && address.Port > 0) return address;
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"'{endpoint}' is not a host:port endpoint");
        var host = endpoint[..colon];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host, deadline.Token).ConfigureAwait(false);
                // The listeners bind IPv4 (0.0.0.0 in a pod), so an IPv4 address is the one that answers.
                var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                if (chosen is not null) return new IPEndPoint(chosen, port);
            }
            catch (SocketException)
            {
                // Not resolvable yet: retried below until the deadline.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                await Task.Delay(RetryDelay, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        throw new ArgumentException($"peer host '{host}' of '{endpoint}' did not resolve within {timeout.TotalSeconds:0.#} s");
    }
}

using System.Net;
using System.Net.Sockets;

namespace RLDistributed.IntegrationTests;

/// <summary>The held port the unreachable-coordinator tests point at: connecting to it is refused.</summary>
public sealed class ClosedPortTests
{
    [Fact]
    public async Task Connect_IsRefused()
    {
        using var closed = new ClosedPort();
        using var client = new TcpClient();

        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, closed.Port));

        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}

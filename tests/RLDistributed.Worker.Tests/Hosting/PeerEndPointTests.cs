using System.Net;
using RLDistributed.Worker.Hosting;

namespace RLDistributed.Worker.Tests.Hosting;

public sealed class PeerEndPointTests
{
    [Fact]
    public async Task ResolveAsync_Address_ReturnsItUnchanged()
    {
        var endpoint = await PeerEndPoint.ResolveAsync("10.1.2.3:50053", TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 50053), endpoint);
    }

    [Fact]
    public async Task ResolveAsync_HostName_ResolvesToAnAddressWithThePort()
    {
        var endpoint = await PeerEndPoint.ResolveAsync("localhost:50053", TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.True(IPAddress.IsLoopback(endpoint.Address), $"localhost resolved to {endpoint.Address}");
        Assert.Equal(50053, endpoint.Port);
    }

    [Theory]
    [InlineData("worker-0")]
    [InlineData("worker-0:")]
    [InlineData("worker-0:0")]
    [InlineData("worker-0:70000")]
    [InlineData(":50053")]
    public async Task ResolveAsync_NotHostPort_ThrowsNamingTheEndpoint(string endpoint)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PeerEndPoint.ResolveAsync(endpoint, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains($"'{endpoint}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_NameThatNeverResolves_GivesUpAfterTheTimeout()
    {
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            PeerEndPoint.ResolveAsync("worker-9.no-such-service.invalid:50053", TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains("did not resolve", error.Message, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(30));
    }
}

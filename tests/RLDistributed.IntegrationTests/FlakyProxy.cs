using System.Net;
using System.Net.Sockets;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A TCP proxy on loopback that hurts the connections through it: every new connection waits
/// <c>connectDelay</c> before it is forwarded, and every <c>resetEvery</c> all open connections are cut
/// (RST), as a flaky network or a restarting load balancer would.
/// </summary>
internal sealed class FlakyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TimeSpan _connectDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting, _resetting;
    private int _resets;

    private FlakyProxy(Uri target, TimeSpan resetEvery, TimeSpan connectDelay)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _connectDelay = connectDelay;
        _listener.Start();
        _accepting = AcceptAsync();
        _resetting = ResetAsync(resetEvery);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Resets => Volatile.Read(ref _resets);

    public static FlakyProxy Start(Uri target, TimeSpan resetEvery, TimeSpan connectDelay) => new(target, resetEvery, connectDelay);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                _ = ForwardAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await Task.Delay(_connectDelay, _stop.Token);
            await upstream.ConnectAsync(_target, _stop.Token);
            lock (_open) _open.AddRange([client, upstream]);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }
            client.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ResetAsync(TimeSpan every)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, _stop.Token);
                Socket[] victims;
                lock (_open) victims = [.. _open];
                if (victims.Length == 0) continue;
                foreach (var socket in victims)
                {
                    try
                    {
                        socket.LingerState = new LingerOption(true, 0); // close with RST
                        socket.Close();
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }
                Interlocked.Increment(ref _resets);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll(_accepting, _resetting);
        lock (_open)
        {
            foreach (var socket in _open) socket.Dispose();
        }
        _stop.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// The reference: one TCP stream on loopback, blocking sockets, 1 MiB writes and reads, in this process
/// (two threads), as perf-notes.md measured it. Returns MB/s (1e6 bytes per second).
/// </summary>
public static class RawTcpThroughput
{
    /// <summary>Moves <paramref name="bytes"/> once from one socket to another and returns the rate.</summary>
    public static double Measure(long bytes)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 4 << 20 };
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveBufferSize = 4 << 20;
        var block = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(() =>
        {
            var buffer = new byte[1 << 20];
            long received = 0;
            while (received < bytes) received += server.Receive(buffer);
        });
        for (long sent = 0; sent < bytes; sent += block.Length) client.Send(block);
        reader.Wait();
        return bytes / clock.Elapsed.TotalSeconds / 1e6;
    }
}

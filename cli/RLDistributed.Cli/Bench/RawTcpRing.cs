using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// The reference for a ring of N ranks on one machine: N raw TCP streams on loopback in a ring (rank i sends to
/// i+1 while it receives from i−1), blocking sockets, 1 MiB writes and reads, no reduction and no framing. Every
/// rank moves the same bytes at the same time, as a ring all-reduce's ranks do, so the rate per rank is the most
/// any ring all-reduce could reach here: with N ranks on two cores, each gets a share of the machine rather than
/// the single stream of <see cref="RawTcpThroughput"/>. Returns MB/s (1e6 bytes per second) per rank.
/// </summary>
public static class RawTcpRing
{
    private const int BlockBytes = 1 << 20;

    /// <summary>Every rank sends <paramref name="bytesPerRank"/> to its successor; the rate is bytes per rank over the time until all have arrived.</summary>
    public static double Measure(int ranks, long bytesPerRank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 2);
        var listeners = Enumerable.Range(0, ranks).Select(_ => Listen()).ToArray();
        var outgoing = new Socket[ranks];
        var incoming = new Socket[ranks];
        try
        {
            for (var rank = 0; rank < ranks; rank++)
            {
                outgoing[rank] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 4 << 20 };
                outgoing[rank].Connect(listeners[(rank + 1) % ranks].LocalEndPoint!);
                incoming[(rank + 1) % ranks] = listeners[(rank + 1) % ranks].Accept();
                incoming[(rank + 1) % ranks].ReceiveBufferSize = 4 << 20;
            }
            var clock = Stopwatch.StartNew();
            var work = Enumerable.Range(0, ranks).SelectMany(rank => new[]
            {
                Task.Factory.StartNew(() => Send(outgoing[rank], bytesPerRank), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => Receive(incoming[rank], bytesPerRank), TaskCreationOptions.LongRunning),
            }).ToArray();
            Task.WaitAll(work);
            return bytesPerRank / clock.Elapsed.TotalSeconds / 1e6;
        }
        finally
        {
            foreach (var socket in outgoing.Concat(incoming).Concat(listeners)) socket?.Dispose();
        }
    }

    private static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        return listener;
    }

    private static void Send(Socket socket, long bytes)
    {
        var block = new byte[BlockBytes];
        for (long sent = 0; sent < bytes;) sent += socket.Send(block, 0, (int)Math.Min(block.Length, bytes - sent), SocketFlags.None);
    }

    private static void Receive(Socket socket, long bytes)
    {
        var block = new byte[BlockBytes];
        long received = 0;
        while (received < bytes)
        {
            var count = socket.Receive(block);
            if (count == 0) throw new IOException($"the raw ring stream closed after {received} of {bytes} bytes");
            received += count;
        }
    }
}

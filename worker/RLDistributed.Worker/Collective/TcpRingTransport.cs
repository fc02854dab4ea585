using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The tcp data plane: one socket to the right neighbour (sends) and one accepted from the left (receives),
/// each chunk a 40-byte header and raw little-endian floats, written from and read into the caller's floats in place. With TLS configured
/// (the listener's <see cref="RunSecurity"/>) both are SslStreams authenticated against the run's CA.
/// </summary>
public sealed class TcpRingTransport : IRingTransport
{
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly Stream _right;
    private readonly Stream _left;
    private readonly RingIdentity _identity;
    private readonly int _maxChunkFloats;
    private readonly byte[] _receiveHeader = new byte[TcpWire.FrameHeaderBytes];
    // One send at a time (IRingTransport), so one header buffer serves them all.
    private readonly byte[] _sendHeader = new byte[TcpWire.FrameHeaderBytes];

    private TcpRingTransport(Stream right, Stream left, RingIdentity identity, int maxChunkFloats)
    {
        _right = right;
        _left = left;
        _identity = identity;
        _maxChunkFloats = maxChunkFloats;
    }

    /// <summary>
    /// Connects to the right neighbour's listener (retrying until <see cref="RingAllReduceOptions.ConnectTimeout"/>,
    /// as it may start later) while accepting the left neighbour on <paramref name="listener"/>; both handshakes
    /// must succeed.
    /// </summary>
    /// <param name="listener">This rank's listener; the left neighbour connects to it.</param>
    /// <param name="rightNeighbour">The listener of rank (rank+1) mod N.</param>
    /// <param name="identity">Run, generation, rank and world size (at least 2).</param>
    /// <param name="options">Chunk size (the largest frame accepted) and connect timeout.</param>
    /// <param name="ct">Cancels connecting.</param>
    /// <exception cref="CollectiveProtocolException">A handshake was refused, by either side.</exception>
    /// <exception cref="TimeoutException">A neighbour did not connect or accept in time.</exception>
    public static async Task<TcpRingTransport> ConnectAsync(
        TcpRingListener listener, EndPoint rightNeighbour, RingIdentity identity, RingAllReduceOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(rightNeighbour);
        ArgumentNullException.ThrowIfNull(options);
        identity.Validate();
        options.Validate();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The tcp ring transport sends floats in host order and needs a little-endian host.");
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(options.ConnectTimeout);
        var connect = ConnectRightAsync(rightNeighbour, identity, listener.Security, cts.Token);
        var accept = listener.AcceptLeftAsync(identity, cts.Token);
        try
        {
            await Task.WhenAll(FailFast(connect, cts), FailFast(accept, cts)).ConfigureAwait(false);
        }
        catch (Exception fault)
        {
            DisposeIfCompleted(connect);
            DisposeIfCompleted(accept);
            var root = new Exception?[] { connect.Exception?.InnerException, accept.Exception?.InnerException }
                .FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (root is not null)
            {
                ExceptionDispatchInfo.Throw(root);
            }

            if (!ct.IsCancellationRequested && fault is OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Rank {identity.Rank} could not link to its ring neighbours within {options.ConnectTimeout}.", fault);
            }

            throw;
        }

        return new TcpRingTransport(connect.Result, accept.Result, identity, options.ChunkFloats);
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ChunkHeader header, ReadOnlyMemory<float> data, CancellationToken ct)
    {
        if (header.Length != data.Length)
        {
            throw new ArgumentException($"Header length {header.Length} differs from the data length {data.Length}.", nameof(header));
        }

        // The header from a small per-transport buffer, the floats in place: no copy of the payload.
        TcpWire.EncodeFrameHeader(_sendHeader, header);
        await _right.WriteAsync(_sendHeader, ct).ConfigureAwait(false);
        await _right.WriteAsync(FloatBytes.Of(data), ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReceiveAsync(ChunkHeader expected, Memory<float> destination, CancellationToken ct)
    {
        if (expected.Length != destination.Length)
        {
            throw new ArgumentException(
                $"Expected length {expected.Length} differs from the destination length {destination.Length}.", nameof(expected));
        }

        await TcpSocketTuning.ReceiveExactlyAsync(_left, _receiveHeader, ct).ConfigureAwait(false);
        var actual = TcpWire.DecodeFrameHeader(_receiveHeader, _identity.RunId);
        if (actual.Length < 0 || actual.Length > _maxChunkFloats)
        {
            throw new CollectiveProtocolException(
                $"Frame length {actual.Length} floats lies outside 0 .. {_maxChunkFloats} (the configured chunk size).");
        }

        expected.EnsureMatches(actual);
        await TcpSocketTuning.ReceiveExactlyAsync(_left, FloatBytes.Of(destination), ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _right.DisposeAsync().ConfigureAwait(false);
        await _left.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<Stream> ConnectRightAsync(EndPoint rightNeighbour, RingIdentity identity, RunSecurity security, CancellationToken ct)
    {
        while (true)
        {
            var socket = new Socket(rightNeighbour.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                TcpSocketTuning.Apply(socket);
                await socket.ConnectAsync(rightNeighbour, ct).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TimedOut
                                                or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // The neighbour may not be listening yet; the caller's deadline bounds the retries.
                socket.Dispose();
                await Task.Delay(ConnectRetryDelay, ct).ConfigureAwait(false);
                continue;
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                stream = await security.AuthenticateClientAsync(stream, TargetHost(rightNeighbour), ct).ConfigureAwait(false);
                var hello = TcpWire.EncodeHandshake(identity.RunId, identity.Generation, identity.Rank, identity.WorldSize, security.Token?.Value ?? string.Empty);
                await stream.WriteAsync(hello, ct).ConfigureAwait(false);
                await ReadReplyAsync(stream, identity, ct).ConfigureAwait(false);
                return stream;
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static string TargetHost(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endPoint.ToString() ?? string.Empty,
    };

    private static async Task ReadReplyAsync(Stream stream, RingIdentity identity, CancellationToken ct)
    {
        var head = new byte[3];
        await TcpSocketTuning.ReceiveExactlyAsync(stream, head, ct).ConfigureAwait(false);
        var reason = new byte[BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(1))];
        await TcpSocketTuning.ReceiveExactlyAsync(stream, reason, ct).ConfigureAwait(false);
        if (head[0] != 0)
        {
            throw new CollectiveProtocolException(
                $"Rank {identity.RightRank} refused the ring connection of rank {identity.Rank}: {Encoding.UTF8.GetString(reason)}");
        }
    }

    private static async Task FailFast(Task task, CancellationTokenSource cts)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void DisposeIfCompleted(Task<Stream> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            task.Result.Dispose();
        }
    }
}

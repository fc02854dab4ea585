using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Hosting.Security;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// The listening socket of one rank's tcp transport: its left neighbour connects here. Binds on construction,
/// so with port 0 the bound port is known (<see cref="LocalEndPoint"/>) before it is published to the ring.
/// Connections are accepted all the time, each vetted on its own (TLS, then the handshake with the run token)
/// within <see cref="HandshakeTimeout"/>: anything that fails is answered with a refusal and disconnected,
/// and never disturbs the wait for the real neighbour. A valid handshake that arrives while no ring is forming
/// here (the neighbour got its assignment first) is held until one is, for at most <see cref="HoldTimeout"/>.
/// </summary>
public sealed class TcpRingListener : IDisposable
{
    /// <summary>Connections being vetted at once; more are closed unread, so a flood cannot exhaust memory.</summary>
    private const int MaxVetting = 64;

    /// <summary>Authenticated handshakes held while no ring is forming; the oldest is refused beyond this.</summary>
    private const int MaxHeld = 8;

    private readonly Socket _socket;
    private readonly RunSecurity _security;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Offer> _held = [];
    private Expectation? _expected;
    private RingIdentity? _lastFormed;
    private int _vetting;

    /// <summary>Binds to <paramref name="endPoint"/> (port 0 picks a free port) and starts accepting.</summary>
    public TcpRingListener(IPEndPoint endPoint, RunSecurity? security = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _security = security ?? RunSecurity.None;
        _logger = logger ?? NullLogger.Instance;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Bind(endPoint);
            _socket.Listen(backlog: 16);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _ = AcceptLoopAsync();
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The token and TLS of this rank's connections (both directions).</summary>
    internal RunSecurity Security => _security;

    /// <summary>How long a connection may take for TLS and its handshake. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a valid handshake waits for this rank's ring to form. Default 30 s.</summary>
    public TimeSpan HoldTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for the connection of <paramref name="identity"/>'s left neighbour: same protocol version, run token,
    /// run id, generation and world size, and sender == left neighbour. Other connections are refused with the
    /// reason and dropped while the wait goes on; <paramref name="ct"/> bounds it.
    /// </summary>
    internal async Task<Stream> AcceptLeftAsync(RingIdentity identity, CancellationToken ct)
    {
        var expectation = new Expectation(identity);
        lock (_gate)
        {
            _expected?.Arrived.TrySetCanceled(CancellationToken.None);
            _expected = expectation;
            _lastFormed = identity;
            foreach (var offer in _held.ToList())
            {
                if (Judge(offer.Hello) is not { } verdict) continue;
                _held.Remove(offer);
                offer.Decision.TrySetResult(verdict);
            }
        }

        try
        {
            return await expectation.Arrived.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_expected, expectation)) _expected = null;
            }

            // A connection that arrives after the wait ended is disposed by the one who delivers it.
            expectation.Arrived.TrySetCanceled(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _socket.Dispose();
        lock (_gate)
        {
            foreach (var offer in _held) offer.Decision.TrySetResult(new Verdict(null, "the listener is closing"));
            _held.Clear();
            _expected?.Arrived.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                continue;
            }

            if (Interlocked.Increment(ref _vetting) > MaxVetting)
            {
                Interlocked.Decrement(ref _vetting);
                CollectiveLog.RingConnectionRefused(_logger, Peer(socket), "too many connections in their handshake");
                socket.Dispose();
                continue;
            }

            _ = VetAsync(socket);
        }
    }

    private async Task VetAsync(Socket socket)
    {
        var peer = Peer(socket);
        Stream? stream = null;
        try
        {
            TcpHandshake? hello;
            string? refusal;
            try
            {
                TcpSocketTuning.Apply(socket);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                deadline.CancelAfter(HandshakeTimeout);
                stream = new NetworkStream(socket, ownsSocket: true);
                stream = await _security.AuthenticateServerAsync(stream, deadline.Token).ConfigureAwait(false);
                (hello, refusal) = await TcpHandshake.ReadAsync(stream, _security.Token, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _vetting);
            }

            var verdict = refusal is not null ? new Verdict(null, refusal) : await DecideAsync(hello!).ConfigureAwait(false);
            if (verdict.Refusal is { } reason)
            {
                CollectiveLog.RingConnectionRefused(_logger, peer, reason);
                await stream.WriteAsync(TcpWire.EncodeReply(false, reason), _stopping.Token).ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                return;
            }

            await stream.WriteAsync(TcpWire.EncodeReply(true, string.Empty), _stopping.Token).ConfigureAwait(false);
            if (!verdict.Winner!.Arrived.TrySetResult(stream)) await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A malformed, silent, failed-TLS or vanished connection: drop it; the listener carries on.
            CollectiveLog.RingConnectionRefused(_logger, peer, e.Message);
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            else socket.Dispose();
        }
    }

    /// <summary>Decides now when a ring is forming here, else holds the handshake until one forms or the hold ends.</summary>
    private async Task<Verdict> DecideAsync(TcpHandshake hello)
    {
        Offer offer;
        lock (_gate)
        {
            if (Judge(hello) is { } verdict) return verdict;
            offer = new Offer(hello);
            _held.Add(offer);
            if (_held.Count > MaxHeld)
            {
                var oldest = _held[0];
                _held.RemoveAt(0);
                oldest.Decision.TrySetResult(new Verdict(null, "too many connections wait for a ring to form"));
            }
        }

        try
        {
            return await offer.Decision.Task.WaitAsync(HoldTimeout, _stopping.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate) _held.Remove(offer);
            return offer.Decision.Task.IsCompletedSuccessfully
                ? offer.Decision.Task.Result
                : new Verdict(null, $"no ring of generation {hello.Generation} formed here within {HoldTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// The verdict on a handshake against the ring forming now; null when none is forming and the handshake may
    /// be for the next one (hold it). Another run, or a generation this rank has already formed, is refused at once.
    /// Called under the lock.
    /// </summary>
    private Verdict? Judge(TcpHandshake hello)
    {
        if (_expected is not { } expected)
        {
            if (_lastFormed is not { } last) return null;
            if (hello.RunId != last.RunId) return new Verdict(null, $"run id '{hello.RunId}' is not '{last.RunId}'");
            return hello.Generation <= last.Generation
                ? new Verdict(null, $"stale generation {hello.Generation}; this rank's ring is at generation {last.Generation}")
                : null;
        }

        if (hello.MismatchWith(expected.Identity) is { } mismatch) return new Verdict(null, mismatch);
        _expected = null;
        return new Verdict(expected, null);
    }

    private static string Peer(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "unknown";
        }
    }

    private sealed class Expectation(RingIdentity identity)
    {
        public RingIdentity Identity { get; } = identity;

        public TaskCompletionSource<Stream> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record Verdict(Expectation? Winner, string? Refusal);

    private sealed class Offer(TcpHandshake hello)
    {
        public TcpHandshake Hello { get; } = hello;

        public TaskCompletionSource<Verdict> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

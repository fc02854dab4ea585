using System.Buffers;
using System.Numerics.Tensors;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// In-place SUM of a float buffer across the N ranks of a ring: reduce-scatter then all-gather, 2(N−1) steps,
/// each rank sending 2(N−1)/N of the buffer. Segment k always starts at rank k and is accumulated in ring order
/// k, k+1, …, so a fixed N gives bitwise-identical results on every rank and on every run.
/// </summary>
/// <remarks>Not thread-safe: one call at a time per instance (the sequence number orders the calls).</remarks>
public sealed class RingAllReduce
{
    private readonly IRingTransport? _transport;
    private readonly RingIdentity _identity;
    private readonly int _chunkFloats;
    private long _sequence;

    /// <summary>Creates the all-reduce of one rank.</summary>
    /// <param name="transport">The link to the neighbours; may be null only when the world size is 1.</param>
    /// <param name="identity">Run, generation, rank and world size.</param>
    /// <param name="options">Chunk size; validated here.</param>
    public RingAllReduce(IRingTransport? transport, RingIdentity identity, RingAllReduceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        identity.Validate();
        options.Validate();
        if (transport is null && identity.WorldSize > 1)
        {
            throw new ArgumentNullException(nameof(transport), $"A transport is required for world size {identity.WorldSize}.");
        }

        _transport = transport;
        _identity = identity;
        _chunkFloats = options.ChunkFloats;
    }

    /// <summary>The sequence number the next call will use; counts up from 0 for the life of the instance.</summary>
    public long NextSequence => _sequence;

    /// <summary>Replaces every element of <paramref name="buffer"/> by its sum over all ranks.</summary>
    /// <exception cref="CollectiveProtocolException">A neighbour sent a chunk that does not fit.</exception>
    public async Task AllReduceAsync(Memory<float> buffer, CancellationToken ct)
    {
        var sequence = _sequence++;
        var n = _identity.WorldSize;
        if (n == 1 || buffer.Length == 0)
        {
            return;
        }

        var transport = _transport!;
        var scratchA = ArrayPool<float>.Shared.Rent(_chunkFloats);
        var scratchB = ArrayPool<float>.Shared.Rent(_chunkFloats);

        // The segment a rank sends at step t is the one it received (and, in the reduce-scatter, added to) at step t−1,
        // cut into the same chunks; so chunk c of step t goes as soon as chunk c of step t−1 is in, rather than after the
        // whole of step t−1 on both sides. The count is of received chunks not yet forwarded.
        using var forwardable = new SemaphoreSlim(0);

        // A failed side cancels the other: a send blocked on a neighbour that stopped reading would otherwise hide the
        // receive's protocol error forever.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var send = CancelOthersOnFault(SendStepsAsync(transport, buffer, sequence, forwardable, cts.Token), cts);
            var receive = CancelOthersOnFault(ReceiveStepsAsync(transport, buffer, sequence, forwardable, scratchA, scratchB, cts.Token), cts);
            await WhenBothAsync(send, receive, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratchA);
            ArrayPool<float>.Shared.Return(scratchB);
        }
    }

    /// <summary>
    /// Reduce-scatter (step t &lt; N−1) sends segment r−t; the all-gather's step s sends the reduced segment r+1−s.
    /// After the first step each chunk waits until it has been received.
    /// </summary>
    private async Task SendStepsAsync(IRingTransport transport, Memory<float> buffer, long sequence, SemaphoreSlim forwardable, CancellationToken ct)
    {
        var n = _identity.WorldSize;
        var rank = _identity.Rank;
        for (var step = 0; step < 2 * (n - 1); step++)
        {
            var segment = step < n - 1 ? Mod(rank - step, n) : Mod(rank + 1 - (step - (n - 1)), n);
            var (start, length) = SegmentBounds(buffer.Length, n, segment);
            for (var done = 0; done < length; done += _chunkFloats)
            {
                if (step > 0) await forwardable.WaitAsync(ct).ConfigureAwait(false);
                var count = Math.Min(_chunkFloats, length - done);
                var header = Header(rank, sequence, step, start + done, count);
                await transport.SendAsync(header, buffer.Slice(start + done, count), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reduce-scatter receives segment r−t−1 and adds it; the all-gather's step s overwrites segment r−s with the
    /// received one. Every chunk but the last step's is released to the sender once it is in place.
    /// </summary>
    private async Task ReceiveStepsAsync(
        IRingTransport transport, Memory<float> buffer, long sequence, SemaphoreSlim forwardable, float[] scratchA, float[] scratchB, CancellationToken ct)
    {
        var n = _identity.WorldSize;
        var rank = _identity.Rank;
        var steps = 2 * (n - 1);
        for (var step = 0; step < steps; step++)
        {
            var forward = step < steps - 1 ? forwardable : null;
            if (step < n - 1)
            {
                await ReceiveAndAddAsync(transport, buffer, sequence, step, Mod(rank - step - 1, n), scratchA, scratchB, forward, ct).ConfigureAwait(false);
            }
            else
            {
                await ReceiveInPlaceAsync(transport, buffer, sequence, step, Mod(rank - (step - (n - 1)), n), forward, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task ReceiveInPlaceAsync(
        IRingTransport transport, Memory<float> buffer, long sequence, int step, int segment, SemaphoreSlim? forward, CancellationToken ct)
    {
        var (start, length) = SegmentBounds(buffer.Length, _identity.WorldSize, segment);
        for (var done = 0; done < length; done += _chunkFloats)
        {
            var count = Math.Min(_chunkFloats, length - done);
            var header = Header(_identity.LeftRank, sequence, step, start + done, count);
            await transport.ReceiveAsync(header, buffer.Slice(start + done, count), ct).ConfigureAwait(false);
            forward?.Release();
        }
    }

    /// <summary>
    /// Receives a segment chunk by chunk into two alternating scratch buffers, so the add of chunk c overlaps
    /// the receive of chunk c+1 (inline adds cost 30–45% of raw TCP throughput, perf-notes.md).
    /// </summary>
    private async Task ReceiveAndAddAsync(
        IRingTransport transport, Memory<float> buffer, long sequence, int step, int segment,
        float[] scratchA, float[] scratchB, SemaphoreSlim? forward, CancellationToken ct)
    {
        var (start, length) = SegmentBounds(buffer.Length, _identity.WorldSize, segment);
        if (length == 0)
        {
            return;
        }

        var current = scratchA;
        var next = scratchB;
        var count = Math.Min(_chunkFloats, length);
        await transport.ReceiveAsync(Header(_identity.LeftRank, sequence, step, start, count), current.AsMemory(0, count), ct)
            .ConfigureAwait(false);
        for (var done = 0; done < length;)
        {
            var nextDone = done + count;
            var nextCount = Math.Min(_chunkFloats, length - nextDone);
            var pending = nextCount > 0
                ? transport.ReceiveAsync(
                    Header(_identity.LeftRank, sequence, step, start + nextDone, nextCount), next.AsMemory(0, nextCount), ct)
                : ValueTask.CompletedTask;

            // local += received: IEEE addition is commutative, so every rank computes the same bits.
            var target = buffer.Span.Slice(start + done, count);
            TensorPrimitives.Add(target, current.AsSpan(0, count), target);
            forward?.Release();

            await pending.ConfigureAwait(false);
            (current, next) = (next, current);
            done = nextDone;
            count = nextCount;
        }
    }

    private static async Task CancelOthersOnFault(Task task, CancellationTokenSource stepCts)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            await stepCts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Awaits both tasks and rethrows the root fault, not the cancellation it caused in the other task.</summary>
    private static async Task WhenBothAsync(Task send, Task receive, CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(send, receive).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var root = new[] { send, receive }
                .Where(t => t.IsFaulted)
                .SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (root is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(root);
            }

            throw;
        }
    }

    private ChunkHeader Header(int sourceRank, long sequence, int step, int offset, int length) =>
        new(_identity.RunId, _identity.Generation, sourceRank, sequence, step, offset, length);

    /// <summary>Segment k covers [k·L/N, (k+1)·L/N): sizes differ by at most one, some empty when L &lt; N.</summary>
    internal static (int Start, int Length) SegmentBounds(int totalLength, int worldSize, int segment)
    {
        var start = (int)((long)segment * totalLength / worldSize);
        var end = (int)((long)(segment + 1) * totalLength / worldSize);
        return (start, end - start);
    }

    private static int Mod(int value, int n) => ((value % n) + n) % n;
}

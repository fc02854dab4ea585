using System.Diagnostics;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Collective;

/// <summary>
/// One step's gradient all-reduce, started while the backward pass still runs (design.md step 5). The backward hands
/// each parameter's gradient over as soon as it is final; it is copied into its bucket, and a bucket whose every
/// parameter is in goes to the ring. The ring takes the buckets in index order, one at a time, on a task of its own,
/// exactly as <see cref="GradientBuckets.AllReduceAsync"/> does: the same buffers, the same sums in the same order,
/// the same collective sequence numbers, so the results are bitwise those of the non-overlapped path (and a rank
/// that overlaps can share a ring with one that does not). Buckets hold the parameters in reverse order, the order in
/// which the backward finishes them, so bucket 0 is ready first.
/// </summary>
/// <remarks>
/// The ring's task touches only the float buffers, never a TorchSharp object; the backward's thread only copies and
/// signals. A failed bucket ends the ring's task, and <see cref="CompleteAsync"/> rethrows that failure as it was
/// thrown, as the non-overlapped path would. The ring's task allocates while the step's no-GC region is in force
/// (NativeCallGuard); should that spend the budget, a collection can only happen from the backward on, when the
/// training thread is inside libtorch's backward or copying gradients and has no implicit Scalar in flight.
/// </remarks>
public sealed class OverlappedAllReduce : IOverlappedReduction
{
    private readonly GradientBuckets _buckets;
    private readonly long _bytesSent;
    private readonly bool[] _delivered;
    private readonly int[] _missing;
    private readonly TaskCompletionSource[] _ready, _reduced;
    private readonly long[] _readyAt, _started, _finished;
    private readonly CancellationTokenSource _stop;
    private readonly Task _communication;
    private int _readyDuringBackward;

    private OverlappedAllReduce(GradientBuckets buckets, RingAllReduce ring, long bytesSent, CancellationToken cancellationToken)
    {
        _buckets = buckets;
        _bytesSent = bytesSent;
        _delivered = new bool[buckets.ParameterCount];
        _missing = Enumerable.Range(0, buckets.Count).Select(b => buckets.ParametersOf(b).Count).ToArray();
        // Asynchronous continuations: the ring's task must never run on the backward's thread.
        _ready = Signals(buckets.Count);
        _reduced = Signals(buckets.Count);
        _readyAt = new long[buckets.Count];
        _started = new long[buckets.Count];
        _finished = new long[buckets.Count];
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _communication = Task.Run(() => CommunicateAsync(ring, _stop.Token), CancellationToken.None);
    }

    /// <summary>Starts the ring's task, waiting for bucket 0; hand the result to the backward as its observer.</summary>
    /// <param name="buckets">The layout and buffers; the same on every rank.</param>
    /// <param name="ring">This rank's all-reduce; nothing else may use it until <see cref="CompleteAsync"/> returns.</param>
    /// <param name="bytesSent">What this rank sends per all-reduce (reported back).</param>
    /// <param name="cancellationToken">Cancels the reduction.</param>
    public static OverlappedAllReduce Start(GradientBuckets buckets, RingAllReduce ring, long bytesSent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(ring);
        return new OverlappedAllReduce(buckets, ring, bytesSent, cancellationToken);
    }

    /// <summary>Completes when bucket <paramref name="bucket"/> holds the sum over all ranks (test evidence of overlap).</summary>
    internal Task Reduced(int bucket) => _reduced[bucket].Task;

    /// <inheritdoc />
    /// <remarks>On the backward's thread: one copy into the bucket and, for a bucket's last parameter, one signal.</remarks>
    public void OnGradient(int parameter, Tensor gradient)
    {
        if (_delivered[parameter]) throw new InvalidOperationException($"parameter {parameter}'s gradient was handed over twice in one step");
        _buckets.CopyIn(parameter, gradient);
        _delivered[parameter] = true;
        var bucket = _buckets.BucketOf(parameter);
        if (--_missing[bucket] == 0)
        {
            _readyAt[bucket] = Stopwatch.GetTimestamp();
            _readyDuringBackward++;
            _ready[bucket].TrySetResult();
        }
    }

    /// <inheritdoc />
    public async Task<AllReduceOverlap> CompleteAsync()
    {
        var backwardEnded = Stopwatch.GetTimestamp();
        try
        {
            for (var b = 0; b < _buckets.Count; b++)
            {
                if (_missing[b] == 0) continue;
                foreach (var parameter in _buckets.ParametersOf(b))
                {
                    if (!_delivered[parameter]) _buckets.PackParameter(parameter);
                }
                _ready[b].TrySetResult();
            }
        }
        catch
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            await _communication.ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }

        for (var b = 0; b < _buckets.Count; b++) _buckets.Unpack(b);
        return Summary(backwardEnded);
    }

    /// <inheritdoc />
    public async Task AbandonAsync()
    {
        try
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _communication.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The step already failed for another reason; that one is reported.
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task CommunicateAsync(RingAllReduce ring, CancellationToken cancellationToken)
    {
        for (var b = 0; b < _buckets.Count; b++)
        {
            await _ready[b].Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            _started[b] = Stopwatch.GetTimestamp();
            await ring.AllReduceAsync(_buckets.BufferOf(b), cancellationToken).ConfigureAwait(false);
            _finished[b] = Stopwatch.GetTimestamp();
            _reduced[b].TrySetResult();
        }
    }

    private static TaskCompletionSource[] Signals(int count) =>
        Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

    private AllReduceOverlap Summary(long backwardEnded)
    {
        double communication = 0, hidden = 0;
        for (var b = 0; b < _buckets.Count; b++)
        {
            communication += Stopwatch.GetElapsedTime(_started[b], _finished[b]).TotalSeconds;
            if (_started[b] < backwardEnded)
                hidden += Stopwatch.GetElapsedTime(_started[b], Math.Min(_finished[b], backwardEnded)).TotalSeconds;
        }
        var window = _buckets.Count > 0 && _readyAt[0] != 0 ? Stopwatch.GetElapsedTime(_readyAt[0], backwardEnded).TotalSeconds : 0;
        var started = _buckets.Count > 0 ? DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(_started[0]) : DateTimeOffset.UtcNow;
        return new AllReduceOverlap(_bytesSent, _buckets.Count, _readyDuringBackward, communication, hidden, window, started);
    }
}

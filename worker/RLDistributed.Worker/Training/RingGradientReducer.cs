using RLDistributed.Core.Energy;
using RLDistributed.Worker.Collective;

namespace RLDistributed.Worker.Training;

/// <summary>
/// Gradients packed into buckets (reverse parameter order) and summed by the ring all-reduce, after the backward or,
/// with <paramref name="overlap"/>, bucket by bucket while the backward still runs (the same sums either way).
/// </summary>
public sealed class RingGradientReducer(RingAllReduce ring, GradientBuckets buckets, int worldSize, bool overlap = false) : IGradientReducer, IDisposable
{
    private readonly long _bytesPerReduce = BytesMoved(buckets, worldSize);

    /// <summary>How many buckets the gradients are packed into (for the allreduce span).</summary>
    public int BucketCount => buckets.Count;

    /// <inheritdoc />
    public async Task<long> ReduceAsync(EnergyNetwork energy, CancellationToken cancellationToken)
    {
        await buckets.AllReduceAsync(ring, cancellationToken).ConfigureAwait(false);
        return _bytesPerReduce;
    }

    /// <inheritdoc />
    public IOverlappedReduction? BeginOverlapped(CancellationToken cancellationToken) =>
        overlap && worldSize > 1 ? OverlappedAllReduce.Start(buckets, ring, _bytesPerReduce, cancellationToken) : null;

    /// <inheritdoc />
    public void Dispose() => buckets.Dispose();

    /// <summary>What one rank sends per all-reduce: 2(N−1)/N of the gradient bytes (nccl-tests' bus traffic).</summary>
    private static long BytesMoved(GradientBuckets buckets, int worldSize)
    {
        long floats = 0;
        for (var b = 0; b < buckets.Count; b++) floats += buckets.FloatsIn(b);
        return worldSize <= 1 ? 0 : 2L * (worldSize - 1) * floats * sizeof(float) / worldSize;
    }
}

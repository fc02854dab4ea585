using RLDistributed.Core.Training;

namespace RLDistributed.Worker.Training;

/// <summary>
/// A gradient all-reduce that starts during the backward pass: the backward hands it each gradient as soon as it is
/// final (<see cref="IGradientObserver"/>), and after the backward <see cref="CompleteAsync"/> finishes the rest.
/// </summary>
public interface IOverlappedReduction : IGradientObserver
{
    /// <summary>
    /// Call once the backward has returned: takes the gradients it did not hand over from <c>.grad</c>, waits for
    /// every bucket, and replaces each <c>.grad</c> with the sum over all ranks.
    /// </summary>
    /// <exception cref="Collective.CollectiveProtocolException">A neighbour sent a chunk that does not fit (and every
    /// transport failure the non-overlapped all-reduce raises: the first one, as it was thrown).</exception>
    Task<AllReduceOverlap> CompleteAsync();

    /// <summary>Stops a reduction whose step failed before <see cref="CompleteAsync"/>; its own failure, if any, is dropped.</summary>
    Task AbandonAsync();
}

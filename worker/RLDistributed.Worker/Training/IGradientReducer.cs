using RLDistributed.Core.Energy;

namespace RLDistributed.Worker.Training;

/// <summary>Sums every parameter gradient over the ranks in place (design.md step 5).</summary>
public interface IGradientReducer
{
    /// <summary>Replaces each .grad with the sum over all ranks; returns the bytes this rank moved.</summary>
    Task<long> ReduceAsync(EnergyNetwork energy, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a reduction that runs alongside the coming backward pass (hand it to the backward as its observer), or
    /// returns null when this reducer reduces only after the backward (overlap off, or nobody to reduce with).
    /// </summary>
    IOverlappedReduction? BeginOverlapped(CancellationToken cancellationToken);
}

using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// The loss of drl-spec.md §3: L_i = w_t·[F(y⁻_i, t_i) − F(a′x_t,i, t_i)], summed and divided by the
/// global batch (not the local one), so that summing the ranks' gradients gives the global mean.
/// Two forward calls, as the authors' code makes (each advances the SN vectors once).
/// </summary>
public static class DrlLoss
{
    /// <summary>The loss (scalar, with graph) and the per-example energies of positives and negatives (detached).</summary>
    public static LossTerms Compute(EnergyNetwork energy, ScheduleTensors schedule, Tensor positive, Tensor negative, Tensor levels, int globalBatch)
    {
        using var scope = NewDisposeScope();
        var positiveEnergy = energy.forward(positive, levels);
        var negativeEnergy = energy.forward(negative, levels);
        var weighted = schedule.Weight(levels) * (negativeEnergy - positiveEnergy);
        var loss = weighted.sum() / globalBatch;
        return new LossTerms(
            loss.MoveToOuterDisposeScope(),
            positiveEnergy.detach().MoveToOuterDisposeScope(),
            negativeEnergy.detach().MoveToOuterDisposeScope());
    }
}

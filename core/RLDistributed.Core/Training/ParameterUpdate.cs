using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// Step 6 of design.md, after the gradients are summed over ranks: optional global-norm clip, Adam with
/// linear warm-up, then the EMA. Every rank applies the same update to the same parameters.
/// </summary>
public sealed class ParameterUpdate(EnergyNetwork energy, EnergyNetwork ema, TrainingOptions options) : IDisposable
{
    /// <summary>The optimizer (its state is part of a checkpoint).</summary>
    public KerasAdam Optimizer { get; } = new(energy.parameters(), options.Beta1, options.Beta2, options.Epsilon);

    /// <summary>The EMA of the network.</summary>
    public ExponentialMovingAverage Average { get; } = new(energy, ema, options.EmaDecay);

    /// <summary>Applies the update of step <paramref name="step"/>; returns the gradient norm before clipping, or NaN when not clipping.</summary>
    public double Apply(long step)
    {
        var norm = double.NaN;
        if (options.GradientClipNorm is { } maxNorm)
        {
            using var scope = NewDisposeScope();
            norm = nn.utils.clip_grad_norm_(energy.parameters(), maxNorm);
        }
        Optimizer.Step(options.LearningRateAt(step));
        Average.Update();
        return norm;
    }

    /// <inheritdoc />
    public void Dispose() => Optimizer.Dispose();
}

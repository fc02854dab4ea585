namespace RLDistributed.Core.Training;

/// <summary>The loss became NaN or fell below −1e6: the authors' code stops there, and so do we.</summary>
public sealed class TrainingDivergedException(long step, double loss)
    : Exception($"training diverged at step {step}: loss {loss}")
{
    /// <summary>The step whose loss was bad.</summary>
    public long Step { get; } = step;

    /// <summary>The bad loss.</summary>
    public double Loss { get; } = loss;
}

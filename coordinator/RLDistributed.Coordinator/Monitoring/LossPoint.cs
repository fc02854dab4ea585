namespace RLDistributed.Coordinator.Monitoring;

/// <summary>One combined step on the loss curve: the global loss and the mean F(pos) − F(neg) per level (null: no example of that level).</summary>
public sealed record LossPoint(long Step, double Loss, double?[] EnergyGap);

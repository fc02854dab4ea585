namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>A step as the whole run saw it.</summary>
internal sealed record CombinedStep(long Step, double Loss, double Seconds);

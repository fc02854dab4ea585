using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>A step as the whole run saw it, with every rank's report of it.</summary>
internal sealed record CombinedStep(long Step, double Loss, double Seconds, IReadOnlyList<StepReport> Reports);

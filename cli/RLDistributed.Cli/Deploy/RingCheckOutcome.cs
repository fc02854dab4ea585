namespace RLDistributed.Cli.Deploy;

/// <summary>The verdict of one look at the coordinator, with a line that says why.</summary>
public sealed record RingCheckOutcome(RingCheckState State, string Message);

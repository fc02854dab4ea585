namespace RLDistributed.Core.Checkpoints;

/// <summary>The newest checkpoint that verified (null: none), and the newer ones that did not, with the reason.</summary>
public sealed record CheckpointSearch(VerifiedCheckpoint? Found, IReadOnlyList<CheckpointException> Skipped);

namespace RLDistributed.Core.Checkpoints;

/// <summary>What one checkpoint holds: the trainer's state, where the run stands, and the model description.</summary>
public sealed record CheckpointContent(TrainingSnapshot Snapshot, CheckpointState State, ModelManifest Model);

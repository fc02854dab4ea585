namespace RLDistributed.Core.Checkpoints;

/// <summary>A checkpoint whose files all matched its manifest when it was verified.</summary>
public sealed record VerifiedCheckpoint(string Directory, CheckpointManifest Manifest, CheckpointState State)
{
    /// <summary>Reads the trainer state (tensor files are checked again as they are parsed).</summary>
    public TrainingSnapshot ReadSnapshot() => new(
        State.NextStep,
        State.AdamIterations,
        TensorFile.Read(Path.Combine(Directory, CheckpointFiles.Energy)),
        TensorFile.Read(Path.Combine(Directory, CheckpointFiles.Ema)),
        TensorFile.Read(Path.Combine(Directory, CheckpointFiles.Optimizer)));
}

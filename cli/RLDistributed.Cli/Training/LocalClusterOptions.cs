using RLDistributed.Core.Presets;

namespace RLDistributed.Cli.Training;

/// <summary>What a local cluster runs.</summary>
public sealed record LocalClusterOptions(RunSpec Spec, string RunId, int Workers, string Transport, string OutputDirectory, int? ThreadsPerWorker)
{
    /// <summary>Where checkpoints go (default OUT/checkpoints).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Start from the newest valid checkpoint of the run in the checkpoint directory.</summary>
    public bool Resume { get; init; }

    /// <summary>Extra environment of every worker process (e.g. RLD_LOG_LEVEL for a benchmark that reads their step lines).</summary>
    public IReadOnlyDictionary<string, string>? WorkerEnvironment { get; init; }

    /// <summary>Torch device of each worker (<see cref="WorkerDevices.Assign"/>); null: every worker on the CPU.</summary>
    public IReadOnlyList<string>? WorkerDevices { get; init; }

    /// <summary>The checkpoint directory in force.</summary>
    public string Checkpoints => CheckpointDirectory ?? Path.Combine(OutputDirectory, "checkpoints");
}

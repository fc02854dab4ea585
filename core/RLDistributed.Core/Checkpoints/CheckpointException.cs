namespace RLDistributed.Core.Checkpoints;

/// <summary>A checkpoint (or one of its files) is missing, truncated, corrupt or foreign; the message names the path.</summary>
public sealed class CheckpointException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>The file or directory at fault.</summary>
    public string FilePath { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}

namespace RLDistributed.Core.Checkpoints;

/// <summary>A saved model could not be read; the message names the file and what is wrong.</summary>
public sealed class ModelStoreException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>The file or directory at fault.</summary>
    public string FilePath { get; } = path;
}

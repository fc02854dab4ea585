namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// A PyTorch file is missing, truncated, malformed, of a kind this reader does not read, or does not hold what the
/// caller needs. The message starts with the file path and says what is wrong.
/// </summary>
public sealed class PyTorchFileException(string filePath, string problem, Exception? inner = null)
    : Exception($"{filePath}: {problem}", inner)
{
    /// <summary>The file at fault.</summary>
    public string FilePath { get; } = filePath;

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; } = problem;
}

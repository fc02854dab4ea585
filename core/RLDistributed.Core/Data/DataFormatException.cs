namespace RLDistributed.Core.Data;

/// <summary>
/// A data file is missing, truncated, has the wrong magic number or contradicts itself.
/// The message starts with the file path and says what is wrong.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; the message becomes "<paramref name="filePath"/>: <paramref name="problem"/>".</summary>
    public DataFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file (or directory) at fault.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    /// <summary>The standard error for a path that does not exist.</summary>
    public static DataFormatException NotFound(string filePath) => new(filePath, "file not found");
}

namespace RLDistributed.Cli.Data;

/// <summary>A download or unpack failed; the message starts with the file it concerns.</summary>
public class DownloadException(string filePath, string problem, Exception? inner = null)
    : Exception($"{filePath}: {problem}", inner)
{
    /// <summary>The destination file (or archive) at fault.</summary>
    public string FilePath { get; } = filePath;
}

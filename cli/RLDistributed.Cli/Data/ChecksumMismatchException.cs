namespace RLDistributed.Cli.Data;

/// <summary>The downloaded bytes do not have the published SHA-256; the partial file has been deleted.</summary>
public sealed class ChecksumMismatchException(string filePath, string expected, string actual)
    : DownloadException(filePath, $"SHA-256 mismatch: expected {expected}, got {actual}; the download was deleted")
{
    /// <summary>The published hash.</summary>
    public string Expected { get; } = expected;

    /// <summary>The hash of what arrived.</summary>
    public string Actual { get; } = actual;
}

namespace RLDistributed.Cli.Data;

/// <summary>What <see cref="FileDownloader.DownloadAsync"/> did.</summary>
public enum DownloadOutcome
{
    /// <summary>The file was fetched (possibly resumed) and verified.</summary>
    Downloaded,

    /// <summary>A verified file was already in place; nothing was fetched.</summary>
    AlreadyPresent,
}

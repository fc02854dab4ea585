namespace RLDistributed.Cli.Data;

/// <summary>What a file is going through, for progress display.</summary>
public enum DownloadStage
{
    /// <summary>Bytes are arriving.</summary>
    Transferring,

    /// <summary>The file is being hashed.</summary>
    Verifying,

    /// <summary>A .tar.gz is being unpacked.</summary>
    Extracting,

    /// <summary>Verified and in place (downloaded now or already there).</summary>
    Done,
}

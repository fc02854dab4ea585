namespace RLDistributed.Cli.Data;

/// <summary>How far one file has come; <paramref name="BytesTotal"/> is null while the size is unknown.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesDone, long? BytesTotal, DownloadStage Stage);

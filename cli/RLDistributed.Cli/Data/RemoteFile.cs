namespace RLDistributed.Cli.Data;

/// <summary>One published file: its name under the source's base address, size in bytes and SHA-256 (lower-case hex).</summary>
public sealed record RemoteFile(string FileName, long Size, string Sha256);

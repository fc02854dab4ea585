namespace RLDistributed.Cli.Tests.Data;

/// <summary>One request as <see cref="LoopbackFileServer"/> saw it: URL path and Range header (null when absent).</summary>
public sealed record RecordedRequest(string Path, string? Range);

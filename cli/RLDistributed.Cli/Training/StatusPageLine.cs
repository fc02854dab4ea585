using System.Text.RegularExpressions;

namespace RLDistributed.Cli.Training;

/// <summary>The coordinator's "status page on http://…" line, which tells a local cluster where to watch the run.</summary>
public static partial class StatusPageLine
{
    /// <summary>The status page's address in <paramref name="line"/>, or null.</summary>
    public static string? Find(string line) => Pattern().Match(line) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"status page on (http://\S+)")]
    private static partial Regex Pattern();
}

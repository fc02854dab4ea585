using System.Text.Json;
using System.Text.RegularExpressions;

namespace RLDistributed.Cli.Training;

/// <summary>
/// The two lines a coordinator prints once it is up, read from its output in either of its log formats: plain text
/// ("coordinator listening on http://…", "status page on http://…") or compact JSON (RLD_LOG_JSON=1, as the
/// container image sets), where the address is a property of the event rather than part of the text. A local
/// cluster's "[coordinator] " prefix in front of either is allowed.
/// </summary>
public static partial class CoordinatorAnnouncement
{
    /// <summary>The coordinator's gRPC address announced by <paramref name="line"/>, or null.</summary>
    public static Uri? ListeningAddress(string line) =>
        Find(line, ListeningText(), "Listening", "Address") is { } address ? new Uri(address) : null;

    /// <summary>The status page's address announced by <paramref name="line"/>, or null.</summary>
    public static string? StatusPage(string line) => Find(line, StatusPageText(), "StatusPageServed", "StatusUrl");

    private static string? Find(string line, Regex text, string eventName, string property)
    {
        ArgumentNullException.ThrowIfNull(line);
        var body = ChildPrefix().Replace(line, "", 1);
        if (!body.StartsWith('{')) return text.Match(body) is { Success: true } match ? match.Groups[1].Value : null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("EventId", out var id) && id.ValueKind == JsonValueKind.Object
                && id.TryGetProperty("Name", out var name) && name.ValueEquals(eventName)
                && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            // A line that only looks like JSON (a child's stray output) announces nothing.
            return null;
        }
    }

    [GeneratedRegex(@"^\[[^\]\s]+\] ")]
    private static partial Regex ChildPrefix();

    [GeneratedRegex(@"coordinator listening on (https?://\S+)")]
    private static partial Regex ListeningText();

    [GeneratedRegex(@"status page on (https?://\S+)")]
    private static partial Regex StatusPageText();
}

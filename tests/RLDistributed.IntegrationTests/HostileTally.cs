using System.Collections.Concurrent;

namespace RLDistributed.IntegrationTests;

/// <summary>What the hostile messages got back: refusals by kind and answer, and every message that was not refused.</summary>
internal sealed class HostileTally
{
    private readonly ConcurrentDictionary<string, int> _refused = new();
    private readonly ConcurrentQueue<string> _accepted = new();

    public int Sent => _refused.Values.Sum() + _accepted.Count;

    public IReadOnlyCollection<string> Accepted => _accepted;

    public IReadOnlyDictionary<string, int> Refused => _refused;

    public void Refusal(string kind, string answer) => _refused.AddOrUpdate($"{kind}: {answer}", 1, (_, n) => n + 1);

    public void NotRefused(string kind, string detail) => _accepted.Enqueue($"{kind}: {detail}");

    public override string ToString() =>
        string.Join("\n", _refused.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value,6}  {p.Key}"));
}

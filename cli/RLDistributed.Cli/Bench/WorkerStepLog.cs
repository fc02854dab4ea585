using System.Collections.Concurrent;
using System.Text.Json;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// What a benchmark cluster's workers said about each step, read from their compact-JSON debug lines as a local
/// cluster relays them ("[worker-i] {…}"): each rank's step time and timings, and each rank's final parameter hash.
/// </summary>
internal sealed class WorkerStepLog(int workers, Action allFinished)
{
    private const int StepDoneEvent = 202, FinishedEvent = 205, StepTimingsEvent = 216;

    private readonly ConcurrentDictionary<(int Rank, long Step), double> _stepSeconds = new();
    private readonly ConcurrentDictionary<(int Rank, long Step), WorkerStepTimings> _timings = new();
    private readonly ConcurrentDictionary<int, string> _hashes = new();
    private readonly ConcurrentQueue<string> _recent = new();

    /// <summary>The environment that makes a worker write the lines read here.</summary>
    public static IReadOnlyDictionary<string, string> WorkerEnvironment { get; } =
        new Dictionary<string, string> { ["RLD_LOG_LEVEL"] = "Debug", ["RLD_LOG_JSON"] = "1" };

    /// <summary>Every rank has logged its final hash.</summary>
    public bool AllFinished => _hashes.Count == workers;

    /// <summary>Reads one relayed line; other lines are kept only for <see cref="Tail"/>.</summary>
    public void Add(string line)
    {
        _recent.Enqueue(line);
        while (_recent.Count > 40) _recent.TryDequeue(out _);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        if (brace < 0 || !line.StartsWith("[worker-", StringComparison.Ordinal)) return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.AsMemory(brace));
        }
        catch (JsonException)
        {
            return;
        }
        using (document) Read(document.RootElement);
    }

    /// <summary>The last lines seen, for an error message.</summary>
    public string Tail() => string.Join(Environment.NewLine, _recent);

    /// <summary>
    /// Per step after the first <paramref name="warmup"/>, the slowest rank's step time (the cluster's step: the ring
    /// holds every rank to it), for the steps every rank reported.
    /// </summary>
    public double[] SlowestRankSeconds(int warmup) =>
        [.. _stepSeconds.Where(s => s.Key.Step > warmup).GroupBy(s => s.Key.Step).Where(g => g.Count() == workers)
            .OrderBy(g => g.Key).Select(g => g.Max(s => s.Value))];

    /// <summary>Each rank's timings of each step after the first <paramref name="warmup"/>.</summary>
    public IReadOnlyList<(int Rank, WorkerStepTimings Timings)> Timings(int warmup) =>
        [.. _timings.Where(t => t.Key.Step > warmup).OrderBy(t => t.Key.Step).Select(t => (t.Key.Rank, t.Value))];

    /// <summary>The final parameter hash rank <paramref name="rank"/> logged, or null.</summary>
    public string? FinalHash(int rank) => _hashes.TryGetValue(rank, out var hash) ? hash : null;

    private void Read(JsonElement root)
    {
        if (!root.TryGetProperty("EventId", out var id) || !id.TryGetProperty("Id", out var number) || !root.TryGetProperty("Rank", out var rankValue)) return;
        var rank = rankValue.GetInt32();
        switch (number.GetInt32())
        {
            case StepDoneEvent:
                _stepSeconds[(rank, root.GetProperty("Step").GetInt64())] = root.GetProperty("StepSeconds").GetDouble();
                break;
            case StepTimingsEvent:
                _timings[(rank, root.GetProperty("Step").GetInt64())] = new WorkerStepTimings(root.GetProperty("BackwardSeconds").GetDouble(),
                    root.GetProperty("CommunicationSeconds").GetDouble(), root.GetProperty("HiddenSeconds").GetDouble(),
                    root.GetProperty("WindowSeconds").GetDouble(), root.GetProperty("ExposedSeconds").GetDouble());
                break;
            case FinishedEvent:
                _hashes[rank] = root.GetProperty("ParameterHash").GetString() ?? "";
                if (AllFinished) allFinished();
                break;
        }
    }
}

/// <summary>One rank's step as its debug line gives it (seconds).</summary>
internal readonly record struct WorkerStepTimings(double Backward, double Communication, double Hidden, double Window, double Exposed);

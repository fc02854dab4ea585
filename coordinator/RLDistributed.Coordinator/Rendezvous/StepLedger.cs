using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// Combines the ranks' reports of each step: the global loss is the sum of the ranks' shares; parameter
/// hashes of one step must all be equal. Keeps only steps still waiting for a rank that can still come: a rank
/// reports its steps in order, several to a call, and drops its oldest ones when too many wait for a slow or
/// restarting coordinator (StepReporter), so a step older than every rank's latest report will never combine and is
/// dropped; otherwise a long run would hold every step some rank dropped.
/// </summary>
internal sealed class StepLedger(int worldSize)
{
    private int _worldSize = worldSize;

    private const int RecentWindow = 100;
    private readonly Dictionary<long, List<StepReport>> _pending = [];
    private readonly Dictionary<int, long> _latestByRank = [];
    private readonly Queue<StepTime> _recent = new();

    public long LastStep { get; private set; }

    /// <summary>Steps with some but not all ranks' reports.</summary>
    public int PendingSteps => _pending.Count;

    public double LastLoss { get; private set; }

    /// <summary>Median of the last 100 combined steps' times (0 before the first).</summary>
    public double MedianStepSeconds
    {
        get
        {
            if (_recent.Count == 0) return 0;
            var sorted = _recent.Select(s => s.Seconds).Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>The last 100 combined steps (step and slowest rank's seconds), oldest first.</summary>
    public IReadOnlyList<StepTime> RecentSteps => [.. _recent];

    /// <summary>A new generation: reports of unfinished steps are dropped (those steps are redone); history stays.</summary>
    public void Reset(int worldSize)
    {
        _worldSize = worldSize;
        _pending.Clear();
        _latestByRank.Clear();
    }

    /// <summary>
    /// Every rank has done the steps up to <paramref name="step"/>, whether or not their reports combined here: the
    /// run ended there by every rank's word, or a checkpoint the run resumes from holds them.
    /// </summary>
    public void DoneThrough(long step)
    {
        if (step > LastStep) LastStep = step;
    }

    public (CombinedStep? Combined, string? HashMismatch) Add(StepReport report)
    {
        if (!_pending.TryGetValue(report.Step, out var reports)) _pending[report.Step] = reports = [];
        if (reports.Any(r => r.Rank == report.Rank)) return (null, null); // a retried report counts once
        reports.Add(report);
        _latestByRank[report.Rank] = Math.Max(report.Step, _latestByRank.GetValueOrDefault(report.Rank));
        DropStepsNoRankCanComplete();
        if (!report.ParameterHash.IsEmpty)
        {
            var other = reports.Find(r => !r.ParameterHash.IsEmpty && !r.ParameterHash.Equals(report.ParameterHash));
            if (other is not null)
                return (null, $"parameter hash mismatch at step {report.Step} between rank {other.Rank} and rank {report.Rank}: the ranks have diverged");
        }
        if (reports.Count < _worldSize) return (null, null);
        _pending.Remove(report.Step);
        var combined = new CombinedStep(report.Step, reports.Sum(r => r.Loss), reports.Max(r => r.StepSeconds), reports);
        _recent.Enqueue(new StepTime { Step = combined.Step, Seconds = combined.Seconds });
        if (_recent.Count > RecentWindow) _recent.Dequeue();
        if (combined.Step > LastStep)
        {
            LastStep = combined.Step;
            LastLoss = combined.Loss;
        }
        return (combined, null);
    }

    private void DropStepsNoRankCanComplete()
    {
        if (_latestByRank.Count < _worldSize) return;
        var everyRankPast = _latestByRank.Values.Min();
        foreach (var step in _pending.Keys.Where(s => s < everyRankPast).ToList()) _pending.Remove(step);
    }
}

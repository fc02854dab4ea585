using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Monitoring;

/// <summary>
/// What the status page and the metrics show of the training, fed with every combined step by the run state:
/// the loss curve (with the energy gap per level), each rank's last step time, the step rate, and stragglers.
/// Read-only for its readers; thread-safe (the run state writes under its lock, HTTP readers read at any time).
/// </summary>
public sealed class RunObserver(string runId, TimeProvider time, ILogger logger)
{
    /// <summary>Points kept on the loss curve; past it every other point is dropped and the stride doubles.</summary>
    public const int MaxHistory = 1000;

    private const int RateWindow = 20;
    private readonly Lock _gate = new();
    private readonly List<LossPoint> _history = [];
    private readonly Queue<(long Step, DateTimeOffset At)> _recent = new();
    private readonly Dictionary<int, RankProgress> _ranks = [];
    private readonly StragglerDetector _stragglers = new();
    private long _stride = 1, _generation = -1;
    private int _globalBatch;
    private double[] _lastGap = [];

    /// <summary>Adds a step every rank has reported; logs ranks that became stragglers with it.</summary>
    public void StepCombined(long step, double loss, IReadOnlyList<StepReport> reports)
    {
        lock (_gate)
        {
            var generation = reports.Count > 0 ? reports[0].Generation : _generation;
            if (generation != _generation)
            {
                _generation = generation;
                _stragglers.Reset();
                _ranks.Clear();
            }
            var compute = reports.ToDictionary(r => r.Rank, r => Math.Max(0, r.StepSeconds - r.AllreduceSeconds));
            var flagged = _stragglers.Observe(compute);
            foreach (var r in reports)
                _ranks[r.Rank] = new RankProgress(r.Rank, r.Step, r.StepSeconds, compute[r.Rank], r.AllreduceSeconds, _stragglers.Flagged.Contains(r.Rank));
            foreach (var rank in flagged)
            {
                var median = StragglerDetector.Median(compute.Values);
                CoordinatorLog.StragglerDetected(logger, runId, rank, step, compute[rank], median, StragglerDetector.Factor, StragglerDetector.ConsecutiveSteps);
            }

            var gap = LevelGaps.Of(reports);
            _lastGap = [.. gap.Select(g => g ?? double.NaN)];
            _globalBatch = reports.Sum(r => r.LevelCount.Sum());
            if (step % _stride == 0) _history.Add(new LossPoint(step, loss, gap));
            if (_history.Count > MaxHistory)
            {
                _stride *= 2;
                _history.RemoveAll(p => p.Step % _stride != 0);
            }
            _recent.Enqueue((step, time.GetUtcNow()));
            if (_recent.Count > RateWindow) _recent.Dequeue();
        }
    }

    /// <summary>Ranks that are stragglers now.</summary>
    public IReadOnlyList<int> Stragglers()
    {
        lock (_gate) return [.. _stragglers.Flagged.Order()];
    }

    /// <summary>How many times a rank was flagged since the start.</summary>
    public long StragglerDetections
    {
        get { lock (_gate) return _stragglers.Detections; }
    }

    /// <summary>Each rank's last combined step, by rank.</summary>
    public IReadOnlyList<RankProgress> Ranks()
    {
        lock (_gate) return [.. _ranks.Values.OrderBy(r => r.Rank)];
    }

    /// <summary>The loss curve (at most <see cref="MaxHistory"/> points, evenly strided).</summary>
    public IReadOnlyList<LossPoint> History()
    {
        lock (_gate) return [.. _history];
    }

    /// <summary>The last combined step's mean energy gap per level (NaN: no example of that level).</summary>
    public IReadOnlyList<double> LastEnergyGap()
    {
        lock (_gate) return _lastGap;
    }

    /// <summary>Combined steps per second over the last (up to) 20 steps (0 until there are two).</summary>
    public double StepsPerSecond
    {
        get
        {
            lock (_gate)
            {
                if (_recent.Count < 2) return 0;
                var (firstStep, firstAt) = _recent.Peek();
                var (lastStep, lastAt) = _recent.Last();
                var seconds = (lastAt - firstAt).TotalSeconds;
                return seconds > 0 ? (lastStep - firstStep) / seconds : 0;
            }
        }
    }

    /// <summary>Examples per second of the whole run (step rate times the global batch).</summary>
    public double SamplesPerSecond
    {
        get
        {
            var rate = StepsPerSecond;
            lock (_gate) return rate * _globalBatch;
        }
    }
}

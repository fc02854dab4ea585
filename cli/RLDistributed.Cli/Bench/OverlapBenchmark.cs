using System.Collections.Concurrent;
using System.Text.Json;
using RLDistributed.Cli.Training;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Worker.Collective;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// How much of the gradient all-reduce the backward hides. A real cluster (a coordinator and N worker processes over
/// tcp on 127.0.0.1, one torch thread each) trains the preset once per setting of Rld:Worker:AllReduceOverlap, the
/// run otherwise the same (per-worker batch, seed, steps, bucket size), so both end with the same parameters. Each
/// worker's per-step debug lines (compact JSON) give its step time, backward time, the ring's time and the part of it
/// before the backward returned. Once every rank has logged its final hash the cluster is stopped: what rank 0 does
/// next (the model and the sample pictures) is not measured.
/// </summary>
public static class OverlapBenchmark
{
    /// <summary>Untimed steps first (JIT, allocator, socket buffers).</summary>
    public const int Warmup = 3;

    private const int StepDoneEvent = 202, FinishedEvent = 205, StepTimingsEvent = 216;

    /// <summary>Runs one cluster with overlap <paramref name="overlap"/> and returns its medians.</summary>
    public static async Task<OverlapRunResult> RunAsync(TrainingPreset preset, bool overlap, int workers, int perWorkerBatch, int steps, long bucketBytes,
        string scratchDirectory, CancellationToken cancellationToken)
    {
        var training = preset with { Training = preset.Training with { GlobalBatch = perWorkerBatch * workers, Steps = steps + Warmup } };
        var spec = new RunSpec { Preset = training, ThreadsPerWorker = 1, CheckpointEvery = 0, GradientBucketBytes = bucketBytes };
        var output = Path.Combine(scratchDirectory, overlap ? "on" : "off");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var log = new WorkerLines(workers, stop.Cancel);
        var cluster = new LocalCluster(new LocalClusterOptions(spec, $"bench-overlap-{Environment.ProcessId}", workers, "tcp", output, 1)
        {
            WorkerEnvironment = new Dictionary<string, string>
            {
                ["RLD_LOG_LEVEL"] = "Debug", ["RLD_LOG_JSON"] = "1", ["Rld__Worker__AllReduceOverlap"] = overlap ? "true" : "false",
            },
        });
        try
        {
            var code = await cluster.RunAsync(log.Add, _ => { }, stop.Token).ConfigureAwait(false);
            if (code != 0) throw new InvalidOperationException($"the benchmark cluster failed:{Environment.NewLine}{log.Tail()}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && log.AllFinished)
        {
            // Every rank finished its steps; the cluster was stopped before rank 0 drew its samples.
        }
        return log.Summarise(preset.Name, overlap, Warmup, Layout(preset, bucketBytes));
    }

    /// <summary>The number of buckets and the gradient bytes of the preset's network.</summary>
    private static (int Buckets, long Bytes) Layout(TrainingPreset preset, long bucketBytes)
    {
        using var energy = EnergyModelFactory.Create(preset.Model, preset.Training.Seed, CPU);
        using var buckets = new GradientBuckets(energy.parameters(), bucketBytes);
        return (buckets.Count, energy.ParameterCount() * sizeof(float));
    }

    /// <summary>The workers' JSON log lines of interest, by rank and step; <paramref name="allFinished"/> runs once every rank has finished.</summary>
    private sealed class WorkerLines(int workers, Action allFinished)
    {
        private readonly ConcurrentDictionary<(int Rank, long Step), double> _stepSeconds = new();
        private readonly ConcurrentDictionary<(int Rank, long Step), Timings> _timings = new();
        private readonly ConcurrentDictionary<int, string> _hashes = new();
        private readonly ConcurrentQueue<string> _recent = new();

        public bool AllFinished => _hashes.Count == workers;

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

        public string Tail() => string.Join(Environment.NewLine, _recent);

        public OverlapRunResult Summarise(string preset, bool overlap, int warmup, (int Buckets, long Bytes) layout)
        {
            var byRank = _timings.Where(t => t.Key.Step > warmup).ToArray();
            var timed = byRank.Select(t => t.Value).ToArray();
            var steps = _stepSeconds.Where(s => s.Key.Step > warmup).GroupBy(s => s.Key.Step).Select(g => g.Max(s => s.Value)).ToArray();
            if (timed.Length == 0 || steps.Length == 0 || !_hashes.TryGetValue(0, out var hash))
                throw new InvalidOperationException($"the workers logged no timed steps:{Environment.NewLine}{Tail()}");
            var perRank = Enumerable.Range(0, workers).Select(r => Hidden(byRank.Where(t => t.Key.Rank == r).Select(t => t.Value))).ToArray();
            return new OverlapRunResult(preset, overlap, layout.Buckets, layout.Bytes, BenchStatistics.Median(steps),
                BenchStatistics.Median(timed.Select(t => t.Backward)), BenchStatistics.Median(timed.Select(t => t.Communication)),
                BenchStatistics.Median(timed.Select(t => t.Exposed)), Hidden(timed), perRank,
                overlap ? BenchStatistics.Median(timed.Select(t => t.Backward > 0 ? 1 - (t.Window / t.Backward) : 1)) : null, hash);
        }

        private static double Hidden(IEnumerable<Timings> timings)
        {
            var list = timings.ToList();
            var communication = list.Sum(t => t.Communication);
            return communication > 0 ? list.Sum(t => t.Hidden) / communication : 0;
        }

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
                    _timings[(rank, root.GetProperty("Step").GetInt64())] = new Timings(root.GetProperty("BackwardSeconds").GetDouble(),
                        root.GetProperty("CommunicationSeconds").GetDouble(), root.GetProperty("HiddenSeconds").GetDouble(),
                        root.GetProperty("WindowSeconds").GetDouble(), root.GetProperty("ExposedSeconds").GetDouble());
                    break;
                case FinishedEvent:
                    _hashes[rank] = root.GetProperty("ParameterHash").GetString() ?? "";
                    if (AllFinished) allFinished();
                    break;
            }
        }

        /// <summary>One rank's step as its debug line gives it.</summary>
        private readonly record struct Timings(double Backward, double Communication, double Hidden, double Window, double Exposed);
    }
}

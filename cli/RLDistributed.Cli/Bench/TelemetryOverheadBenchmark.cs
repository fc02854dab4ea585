using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Telemetry;
using RLDistributed.Core.Training;
using RLDistributed.Hosting.Telemetry;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Telemetry;
using RLDistributed.Worker.Training;
using static TorchSharp.torch;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// What telemetry costs a worker's step when no OTLP endpoint is set. "Off" is the step as it was before
/// telemetry: the trainer and the gradient reducer, no providers, no listeners, no log scopes. "On" is the
/// worker's loop body with everything a worker has then: the tracer and meter providers (Prometheus exporter,
/// instrumentation), the train.step span and its children, the allreduce span and watchdog, the metrics, the
/// log scopes through Serilog. Both run one process, world size 1 (the all-reduce packs and unpacks the
/// buckets; nothing is sent), one torch thread, in alternating blocks so that the machine's drift falls on both.
/// </summary>
public static class TelemetryOverheadBenchmark
{
    private const int WarmupSteps = 10;
    private const int SettleSteps = 2;

    /// <summary>Runs <paramref name="blocks"/> pairs of blocks of <paramref name="stepsPerBlock"/> steps, then the isolated measurement.</summary>
    public static TelemetryOverheadResult Run(TrainingPreset preset, int batch, int blocks, int stepsPerBlock, CancellationToken cancellationToken)
    {
        var options = preset.Training with { GlobalBatch = batch };
        var dataset = DatasetCatalog.Open(preset.Dataset, null, preset.PadTo32, options.Seed);
        using var energy = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
        using var ema = EnergyModelFactory.Create(preset.Model, options.Seed, CPU);
        using var trainer = new Trainer(energy, ema, dataset, options, CPU);
        var identity = new RingIdentity("bench-telemetry", 1, 0, 1);
        using var reducer = new RingGradientReducer(new RingAllReduce(null, identity, new RingAllReduceOptions()), new GradientBuckets(energy.parameters()), 1);
        var assignment = new Assignment { RunId = identity.RunId, Generation = 1, Rank = 0, WorldSize = 1 };
        using var loggers = ServiceLogging.CreateFactory("bench");
        var logger = loggers.CreateLogger("RLDistributed.Worker.Hosting.WorkerRunner");
        var observed = new ObservedGradientReducer(reducer, new CollectiveWatchdog(TimeSpan.FromSeconds(120), TimeProvider.System, logger), identity.RunId, 1, 0, 1);
        var plain = new DistributedTrainer(trainer, reducer, 0, 1, hashEvery: 0);
        var instrumented = new DistributedTrainer(trainer, observed, 0, 1, hashEvery: 0);

        long step = 0;
        for (var i = 0; i < WarmupSteps; i++) Plain(plain, step++, cancellationToken);
        var off = new List<double>();
        var on = new List<double>();
        var paired = new List<double>();
        for (var block = 0; block < blocks; block++)
        {
            // Alternate which mode goes first, so that a trend within a pair does not favour one.
            var offFirst = block % 2 == 0;
            double offMedian = 0, onMedian = 0;
            for (var half = 0; half < 2; half++)
            {
                if ((half == 0) == offFirst)
                {
                    var times = Block(stepsPerBlock, () => Plain(plain, step++, cancellationToken));
                    off.AddRange(times);
                    offMedian = Median(times);
                }
                else
                {
                    using var telemetry = RoleTelemetry.Providers("worker", WorkerTelemetry.Name, CoreTelemetry.Name);
                    var times = Block(stepsPerBlock, () => Instrumented(instrumented, assignment, logger, step++, batch, cancellationToken));
                    on.AddRange(times);
                    onMedian = Median(times);
                }
            }
            paired.Add(onMedian / offMedian - 1);
        }
        var isolated = IsolatedMicroseconds(assignment, logger, batch, options.Levels);
        return new TelemetryOverheadResult(preset.Name, batch, blocks, stepsPerBlock, Median(off) * 1000, Median(on) * 1000, Median(paired), isolated);
    }

    private static void Plain(DistributedTrainer trainer, long step, CancellationToken cancellationToken) =>
        trainer.TrainStepAsync(step, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The worker's loop body (WorkerRunner), less the report to a coordinator.</summary>
    private static void Instrumented(DistributedTrainer trainer, Assignment assignment, ILogger logger, long step, int batch, CancellationToken cancellationToken)
    {
        using var generationScope = WorkerLogScope.Generation(logger, assignment);
        using var span = StepTelemetry.Begin(assignment, step);
        using var stepScope = WorkerLogScope.Step(logger, step + 1);
        var done = trainer.TrainStepAsync(step, cancellationToken).GetAwaiter().GetResult();
        StepTelemetry.Record(span, assignment, done, batch);
    }

    /// <summary>Times each step of a block; the first steps after a mode switch are dropped.</summary>
    private static List<double> Block(int steps, Action run)
    {
        var times = new List<double>();
        for (var i = 0; i < SettleSteps + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            if (i >= SettleSteps) times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    /// <summary>
    /// The telemetry of one step without the step: the same spans with their tags, the same metric records and
    /// log scopes, with the providers on; microseconds per step over many repetitions.
    /// </summary>
    private static double IsolatedMicroseconds(Assignment assignment, ILogger logger, int batch, int levels)
    {
        using var telemetry = RoleTelemetry.Providers("worker", WorkerTelemetry.Name, CoreTelemetry.Name);
        var statistics = new StepStatistics(0, 0.1, new double[levels], new double[levels], Enumerable.Repeat(batch / levels, levels).ToArray());
        var done = new DistributedStep(statistics, 0.04, 0.001, 1 << 20, null);
        const int repetitions = 20_000;
        for (var pass = 0; pass < 2; pass++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < repetitions; i++)
            {
                using var generationScope = WorkerLogScope.Generation(logger, assignment);
                using var span = StepTelemetry.Begin(assignment, i);
                using var stepScope = WorkerLogScope.Step(logger, i + 1);
                using (var langevin = CoreTelemetry.Source.StartActivity("langevin"))
                {
                    langevin?.SetTag("rld.langevin.steps", 30);
                    langevin?.SetTag("rld.examples", batch);
                }
                using (CoreTelemetry.Source.StartActivity("forward_backward"))
                {
                }
                using (var allReduce = WorkerTelemetry.Source.StartActivity("allreduce"))
                {
                    allReduce?.SetTag("rld.allreduce.bytes", 1 << 20);
                    allReduce?.SetTag("rld.allreduce.busbw", 1e9);
                    WorkerTelemetry.AllReduceDuration.Record(0.001, new KeyValuePair<string, object?>("rank", 0));
                    WorkerTelemetry.AllReduceBusBandwidth.Record(1e9, new KeyValuePair<string, object?>("rank", 0));
                }
                using (CoreTelemetry.Source.StartActivity("optimizer"))
                {
                }
                StepTelemetry.Record(span, assignment, done, batch);
            }
            // The first pass warms up (JIT, metric points); the second is the measurement.
            if (pass == 1) return clock.Elapsed.TotalMilliseconds * 1000 / repetitions;
        }
        throw new UnreachableException();
    }

    private static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

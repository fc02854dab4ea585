using System.Diagnostics;
using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Worker.Training;

/// <summary>
/// The SPMD loop body of design.md for rank r of N: the shared plan of step k, this rank's contiguous slice
/// (data and levels together), Langevin, loss and backward on the slice, the all-reduce of the gradients,
/// then the same Adam and EMA update on every rank. The global batch and the learning-rate schedule do not
/// depend on N, and all noise is keyed by (seed, step), so N = 1, 2, 3 compute the same run.
/// </summary>
public sealed class DistributedTrainer : IDisposable
{
    private readonly IDataset _dataset;
    private readonly BatchPlanner _planner;
    private readonly GradientComputation _gradients;
    private readonly IGradientReducer _reducer;
    private readonly int _rank, _worldSize, _hashEvery;

    /// <summary>Wires the parts for one rank.</summary>
    public DistributedTrainer(EnergyNetwork energy, EnergyNetwork ema, IDataset dataset, TrainingOptions options, Device device,
        IGradientReducer reducer, int rank, int worldSize, int hashEvery)
    {
        options.Validate();
        if (worldSize < 1 || rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} is outside a world of {worldSize}");
        if (options.GlobalBatch < worldSize)
            throw new ArgumentException($"the global batch ({options.GlobalBatch}) must be at least the number of workers ({worldSize}): every rank needs an example so that all ranks run the same number of forward passes");
        Energy = energy;
        Ema = ema;
        Options = options;
        _dataset = dataset;
        _reducer = reducer;
        _rank = rank;
        _worldSize = worldSize;
        _hashEvery = hashEvery;
        Schedule = new ScheduleTensors(DiffusionSchedule.Create(options.Levels, options.StepSizeBSquared), device);
        _planner = new BatchPlanner(options.Seed, options.GlobalBatch, dataset.Count, options.Levels, options.RandomFlip && dataset.IsImage);
        _gradients = new GradientComputation(energy, Schedule, options, device);
        Update = new ParameterUpdate(energy, ema, options);
    }

    /// <summary>The network being trained.</summary>
    public EnergyNetwork Energy { get; }

    /// <summary>Its EMA.</summary>
    public EnergyNetwork Ema { get; }

    /// <summary>Options in force.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The schedule on the device.</summary>
    public ScheduleTensors Schedule { get; }

    /// <summary>Optimizer and EMA.</summary>
    public ParameterUpdate Update { get; }

    /// <summary>Runs step <paramref name="step"/> on this rank's slice, all-reduces and updates.</summary>
    public async Task<DistributedStep> TrainStepAsync(long step, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        StepStatistics statistics;
        using (NewDisposeScope())
        {
            var plan = _planner.Plan(step);
            var (start, count) = plan.SliceOf(_rank, _worldSize);
            statistics = _gradients.Run(_dataset, plan, start, count, cancellationToken);
        }
        if (double.IsNaN(statistics.Loss)) throw new TrainingDivergedException(step, statistics.Loss);

        var reduceClock = Stopwatch.StartNew();
        var bytes = await _reducer.ReduceAsync(Energy, cancellationToken).ConfigureAwait(false);
        var reduceSeconds = reduceClock.Elapsed.TotalSeconds;

        using (NewDisposeScope()) Update.Apply(step);
        var last = step + 1 == Options.Steps;
        var hash = _hashEvery > 0 && ((step + 1) % _hashEvery == 0 || last) ? ParameterHash.Of(Energy) : null;
        return new DistributedStep(statistics, clock.Elapsed.TotalSeconds, reduceSeconds, bytes, hash);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Update.Dispose();
        Schedule.Dispose();
    }
}

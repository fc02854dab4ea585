using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// One training step as a reusable unit: the plan, the gradient of a slice of the global batch, the update.
/// A single process is the N = 1 case (<see cref="TrainStep"/>); a worker sums the gradients over the ranks
/// between <see cref="ComputeGradients"/> and <see cref="ApplyUpdate"/>.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly IDataset _dataset;
    private readonly BatchPlanner _planner;
    private readonly GradientComputation _gradients;

    /// <summary>Wires the parts; <paramref name="ema"/> must have the same architecture as <paramref name="energy"/>.</summary>
    public Trainer(EnergyNetwork energy, EnergyNetwork ema, IDataset dataset, TrainingOptions options, Device device)
    {
        options.Validate();
        Energy = energy;
        Ema = ema;
        Options = options;
        _dataset = dataset;
        Schedule = new ScheduleTensors(DiffusionSchedule.Create(options.Levels, options.StepSizeBSquared), device);
        _planner = new BatchPlanner(options.Seed, options.GlobalBatch, dataset.Count, options.Levels, options.RandomFlip && dataset.IsImage);
        _gradients = new GradientComputation(energy, Schedule, options, device);
        Update = new ParameterUpdate(energy, ema, options);
    }

    /// <summary>The network being trained.</summary>
    public EnergyNetwork Energy { get; }

    /// <summary>Its exponential moving average (used for sampling).</summary>
    public EnergyNetwork Ema { get; }

    /// <summary>The options in force.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The schedule on the training device.</summary>
    public ScheduleTensors Schedule { get; }

    /// <summary>The optimizer and EMA update.</summary>
    public ParameterUpdate Update { get; }

    /// <summary>Runs step <paramref name="step"/> (0-based) and returns its statistics.</summary>
    /// <exception cref="TrainingDivergedException">the loss is NaN or below −1e6 (the authors' early exit).</exception>
    public StepStatistics TrainStep(long step, CancellationToken cancellationToken = default)
    {
        var statistics = ComputeGradients(step, rank: 0, worldSize: 1, cancellationToken);
        if (statistics.Loss < -1e6) throw new TrainingDivergedException(step, statistics.Loss);
        ApplyUpdate(step);
        return statistics;
    }

    /// <summary>
    /// The first half of a step for rank <paramref name="rank"/> of <paramref name="worldSize"/>: the plan of the
    /// step, this rank's contiguous slice of it, and that slice's gradient of the global loss in .grad.
    /// </summary>
    /// <exception cref="TrainingDivergedException">the slice's loss is NaN.</exception>
    public StepStatistics ComputeGradients(long step, int rank, int worldSize, CancellationToken cancellationToken = default) =>
        ComputeGradients(step, rank, worldSize, null, cancellationToken);

    /// <summary>
    /// <see cref="ComputeGradients(long, int, int, CancellationToken)"/>, with <paramref name="observer"/> seeing each
    /// parameter's gradient during the backward pass, as soon as it is final (e.g. to start its all-reduce).
    /// </summary>
    /// <exception cref="TrainingDivergedException">the slice's loss is NaN.</exception>
    public StepStatistics ComputeGradients(long step, int rank, int worldSize, IGradientObserver? observer, CancellationToken cancellationToken = default)
    {
        using var guard = NativeCallGuard.Enter();
        using var scope = NewDisposeScope();
        var plan = _planner.Plan(step);
        var (start, count) = plan.SliceOf(rank, worldSize);
        var statistics = _gradients.Run(_dataset, plan, start, count, observer, cancellationToken);
        if (double.IsNaN(statistics.Loss)) throw new TrainingDivergedException(step, statistics.Loss);
        return statistics;
    }

    /// <summary>The second half of a step, once .grad holds the gradient of the whole global batch: Adam and EMA.</summary>
    public void ApplyUpdate(long step)
    {
        using var guard = NativeCallGuard.Enter();
        using var scope = NewDisposeScope();
        using var span = Telemetry.CoreTelemetry.Source.StartActivity("optimizer");
        Update.Apply(step);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Update.Dispose();
        Schedule.Dispose();
    }
}

using System.Diagnostics;
using RLDistributed.Core.Training;

namespace RLDistributed.Worker.Training;

/// <summary>
/// The SPMD loop body of design.md for rank r of N: the core <see cref="Trainer"/>'s gradient of this rank's
/// slice (data and levels together), the all-reduce of the gradients, then the same Adam and EMA update on
/// every rank. The global batch and the learning-rate schedule do not depend on N, and all noise is keyed by
/// (seed, step), so N = 1, 2, 3 compute the same run up to float summation order.
/// </summary>
public sealed class DistributedTrainer
{
    private readonly Trainer _trainer;
    private readonly IGradientReducer _reducer;
    private readonly int _rank, _worldSize, _hashEvery;

    /// <summary>Wraps <paramref name="trainer"/> for one rank.</summary>
    public DistributedTrainer(Trainer trainer, IGradientReducer reducer, int rank, int worldSize, int hashEvery)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} is outside a world of {worldSize}");
        if (trainer.Options.GlobalBatch < worldSize)
            throw new ArgumentException($"the global batch ({trainer.Options.GlobalBatch}) must be at least the number of workers ({worldSize}): every rank needs an example so that all ranks run the same number of forward passes");
        _trainer = trainer;
        _reducer = reducer;
        _rank = rank;
        _worldSize = worldSize;
        _hashEvery = hashEvery;
    }

    /// <summary>Test hook: an extra sleep in the compute phase of every step (makes this rank a straggler). Default zero.</summary>
    public TimeSpan DebugStepDelay { get; init; }

    /// <summary>
    /// Runs step <paramref name="step"/> on this rank's slice, all-reduces and updates. When the reducer overlaps, the
    /// backward hands it each gradient as soon as it is final, and the buckets go to the ring while autograd computes
    /// the rest; the sums are the same either way.
    /// </summary>
    public async Task<DistributedStep> TrainStepAsync(long step, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var overlapped = _reducer.BeginOverlapped(cancellationToken);
        StepStatistics statistics;
        try
        {
            statistics = _trainer.ComputeGradients(step, _rank, _worldSize, overlapped, cancellationToken);
            if (DebugStepDelay > TimeSpan.Zero) await Task.Delay(DebugStepDelay, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (overlapped is not null) await overlapped.AbandonAsync().ConfigureAwait(false);
            throw;
        }
        var reduceClock = Stopwatch.StartNew();
        var overlap = overlapped is null ? null : await overlapped.CompleteAsync().ConfigureAwait(false);
        var bytes = overlap?.BytesSent ?? await _reducer.ReduceAsync(_trainer.Energy, cancellationToken).ConfigureAwait(false);
        var reduceSeconds = reduceClock.Elapsed.TotalSeconds;
        _trainer.ApplyUpdate(step);
        var last = step + 1 == _trainer.Options.Steps;
        var hash = _hashEvery > 0 && ((step + 1) % _hashEvery == 0 || last) ? ParameterHash.Of(_trainer.Energy) : null;
        return new DistributedStep(statistics, clock.Elapsed.TotalSeconds, reduceSeconds, bytes, hash) { Overlap = overlap };
    }
}

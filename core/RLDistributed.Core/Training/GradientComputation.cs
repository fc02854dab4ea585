using System.Diagnostics;
using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Randomness;
using RLDistributed.Core.Sampling;
using RLDistributed.Core.Telemetry;
using static TorchSharp.torch;

namespace RLDistributed.Core.Training;

/// <summary>
/// Steps 3–4 of design.md for one rank: take the rank's slice of the planned global batch, form x_t and
/// x_{t+1}, draw negatives by Langevin from x_{t+1}, and back-propagate the DRL loss into .grad.
/// All noise is keyed by (seed, step, purpose) over the whole global batch, then sliced: the numbers
/// do not depend on the world size.
/// </summary>
public sealed class GradientComputation(EnergyNetwork energy, ScheduleTensors schedule, TrainingOptions options, Device device)
{
    private readonly LangevinSampler _langevin = new(schedule, new LangevinOptions { StepCount = options.LangevinSteps, NoiseScale = options.NoiseScale });

    /// <summary>Zeroes .grad, then accumulates this slice's gradient of the global loss. Returns its statistics.</summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="plan">The step's global batch.</param>
    /// <param name="start">First example of this rank's slice.</param>
    /// <param name="count">Examples in the slice.</param>
    /// <param name="observer">Sees each parameter's gradient as soon as the backward has made it final (null: nobody).</param>
    /// <param name="cancellationToken">Cancels between Langevin steps.</param>
    public StepStatistics Run(IDataset dataset, BatchPlan plan, int start, int count, IGradientObserver? observer = null, CancellationToken cancellationToken = default)
    {
        energy.zero_grad();
        var levelsCount = schedule.Schedule.Levels;
        var positiveSum = new double[levelsCount];
        var negativeSum = new double[levelsCount];
        var counts = new int[levelsCount];
        if (count == 0) return new StepStatistics(plan.Step, 0, positiveSum, negativeSum, counts);

        using var scope = NewDisposeScope();
        var global = plan.GlobalBatch;
        var shape = energy.ExampleShape;
        var step = plan.Step;
        var x0 = BatchAssembler.Assemble(dataset, plan, start, count, device);
        var levelArray = plan.Levels.AsSpan(start, count).ToArray();
        var levels = tensor(levelArray.Select(l => (long)l).ToArray(), device: device);
        var rank = x0.dim();

        var epsilon = KeyedNoise.Normal(RandomKey.For(options.Seed, RandomPurpose.ForwardNoise).With(step), global, shape, start, count, device);
        var epsilonNext = KeyedNoise.Normal(RandomKey.For(options.Seed, RandomPurpose.PairNoise).With(step), global, shape, start, count, device);
        var xt = ForwardProcess.Sample(schedule, x0, levels, epsilon);
        var xNext = ForwardProcess.Next(schedule, xt, levels, epsilonNext);

        var chainKey = RandomKey.For(options.Seed, RandomPurpose.LangevinNoise).With(step);
        Tensor negative;
        using (var span = CoreTelemetry.Source.StartActivity("langevin"))
        {
            span?.SetTag("rld.langevin.steps", options.LangevinSteps);
            span?.SetTag("rld.examples", count);
            negative = _langevin.Run(energy, xNext, levels,
                k => KeyedNoise.Normal(chainKey.With(k), global, shape, start, count, device), cancellationToken);
        }
        var positive = schedule.NextAPrime(levels, rank) * xt;

        using var forwardBackward = CoreTelemetry.Source.StartActivity("forward_backward");
        // Only the loss's pass is observed: Langevin's input gradients never touch the parameters.
        using var taps = observer is null ? null : energy.Taps.Observe(energy.parameters(), observer);
        var terms = DrlLoss.Compute(energy, schedule, positive, negative, levels, global);
        var backwardClock = Stopwatch.StartNew();
        terms.Loss.backward();
        var backwardSeconds = backwardClock.Elapsed.TotalSeconds;
        taps?.ThrowIfFaulted();

        var positiveEnergy = terms.PositiveEnergy.cpu().data<float>().ToArray();
        var negativeEnergy = terms.NegativeEnergy.cpu().data<float>().ToArray();
        for (var i = 0; i < count; i++)
        {
            positiveSum[levelArray[i]] += positiveEnergy[i];
            negativeSum[levelArray[i]] += negativeEnergy[i];
            counts[levelArray[i]]++;
        }
        return new StepStatistics(step, terms.Loss.item<float>(), positiveSum, negativeSum, counts) { BackwardSeconds = backwardSeconds };
    }
}

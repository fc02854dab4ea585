using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Models;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Training;

public sealed class TrainerTests
{
    [Fact]
    public void TrainStep_SameSeed_BitwiseEqualParameters()
    {
        var first = TrainingHarness.TrainAndSnapshot(seed: 11, steps: 3);
        var second = TrainingHarness.TrainAndSnapshot(seed: 11, steps: 3);
        Assert.Equal(first.Length, second.Length);
        for (var i = 0; i < first.Length; i++) Assert.True(first[i].AsSpan().SequenceEqual(second[i]), $"state tensor {i} differs");
    }

    [Fact]
    public void TrainStep_OtherSeed_DifferentParameters()
    {
        var first = TrainingHarness.TrainAndSnapshot(seed: 11, steps: 3);
        var other = TrainingHarness.TrainAndSnapshot(seed: 12, steps: 3);
        Assert.Contains(Enumerable.Range(0, first.Length), i => !first[i].AsSpan().SequenceEqual(other[i]));
    }

    [Fact]
    public void TrainStep_ChangesParametersAndEma()
    {
        var untrained = TrainingHarness.TrainAndSnapshot(seed: 5, steps: 0);
        var trained = TrainingHarness.TrainAndSnapshot(seed: 5, steps: 2);
        var half = untrained.Length / 2;
        Assert.Contains(Enumerable.Range(0, half), i => !untrained[i].AsSpan().SequenceEqual(trained[i]));
        Assert.Contains(Enumerable.Range(half, half), i => !untrained[i].AsSpan().SequenceEqual(trained[i]));
    }

    /// <summary>
    /// design.md step 3: the gradient does not depend on how the global batch is split. Two ranks'
    /// slices summed equal one process's gradient up to float summation order.
    /// </summary>
    [Fact]
    public void GradientComputation_TwoSlicesSummed_EqualWholeBatch()
    {
        using var scope = NewDisposeScope();
        var data = ToyDatasets.Create("8gaussians", 512, 3);
        var options = TrainingHarness.TinyOptions(seed: 9);
        using var energy = EnergyModelFactory.Create(TrainingHarness.TinyMlp, options.Seed, CPU);
        using var schedule = new ScheduleTensors(DiffusionSchedule.Create(options.Levels), CPU);
        var plan = new BatchPlanner(options.Seed, options.GlobalBatch, data.Count, options.Levels, false).Plan(4);

        // Each SN-free forward is a pure function of the weights, so the three runs see the same network.
        var gradients = new GradientComputation(energy, schedule, options, CPU);
        var whole = gradients.Run(data, plan, 0, plan.GlobalBatch);
        var wholeGrad = energy.parameters().Select(p => p.grad!.clone()).ToArray();
        var (start0, count0) = plan.SliceOf(0, 2);
        var (start1, count1) = plan.SliceOf(1, 2);
        var rank0 = gradients.Run(data, plan, start0, count0);
        var rank0Grad = energy.parameters().Select(p => p.grad!.clone()).ToArray();
        var rank1 = gradients.Run(data, plan, start1, count1);
        var summed = energy.parameters().Select((p, i) => p.grad! + rank0Grad[i]).ToArray();

        Assert.Equal(whole.Loss, rank0.Add(rank1).Loss, 5);
        for (var i = 0; i < summed.Length; i++)
            Assert.True(summed[i].allclose(wholeGrad[i], rtol: 1e-4, atol: 1e-6), $"parameter {i}: sliced gradient differs");
    }

    [Fact]
    public void LearningRateAt_LinearWarmupThenConstant()
    {
        var options = new TrainingOptions { LearningRate = 1e-4, WarmupSteps = 1000 };
        Assert.Equal(1e-7, options.LearningRateAt(0), 12);
        Assert.Equal(5e-5, options.LearningRateAt(499), 12);
        Assert.Equal(1e-4, options.LearningRateAt(999), 12);
        Assert.Equal(1e-4, options.LearningRateAt(50_000), 12);
    }

    [Fact]
    public void Validate_BadOption_NamesIt()
    {
        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => new TrainingOptions { GlobalBatch = 0 }.Validate());
        Assert.Contains("GlobalBatch", error.Message);
    }
}

using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// Everything a trainer holds between two steps, copied to host memory: the network (parameters and
/// spectral-norm vectors), its EMA, Adam's moments and iteration count, and the next step. The data cursor
/// and every random draw are functions of (seed, step), so the step is the whole cursor. Restoring a snapshot
/// into a fresh trainer of the same options continues the run bit for bit.
/// </summary>
public sealed record TrainingSnapshot(long NextStep, long AdamIterations, IReadOnlyList<TensorRecord> Energy,
    IReadOnlyList<TensorRecord> Ema, IReadOnlyList<TensorRecord> Optimizer)
{
    /// <summary>Copies <paramref name="trainer"/>'s state before step <paramref name="nextStep"/>.</summary>
    public static TrainingSnapshot Capture(Trainer trainer, long nextStep) => new(
        nextStep,
        trainer.Update.Optimizer.Iterations,
        TensorRecords.Capture(trainer.Energy.state_dict().Select(kv => (kv.Key, kv.Value))),
        TensorRecords.Capture(trainer.Ema.state_dict().Select(kv => (kv.Key, kv.Value))),
        TensorRecords.Capture(OptimizerTensors(trainer).Select(kv => (kv.Key, kv.Value))));

    /// <summary>Copies this snapshot into <paramref name="trainer"/>; <paramref name="source"/> names it in errors.</summary>
    public void RestoreInto(Trainer trainer, string source)
    {
        TensorRecords.Restore(trainer.Energy.state_dict(), Energy, Path.Combine(source, CheckpointFiles.Energy));
        TensorRecords.Restore(trainer.Ema.state_dict(), Ema, Path.Combine(source, CheckpointFiles.Ema));
        TensorRecords.Restore(OptimizerTensors(trainer), Optimizer, Path.Combine(source, CheckpointFiles.Optimizer));
        trainer.Update.Optimizer.RestoreIterations(AdamIterations);
    }

    /// <summary>Adam's moments named "m/PARAMETER" and "v/PARAMETER", in the optimizer's parameter order.</summary>
    private static Dictionary<string, Tensor> OptimizerTensors(Trainer trainer)
    {
        var names = trainer.Energy.named_parameters().Select(p => p.name).ToArray();
        var optimizer = trainer.Update.Optimizer;
        if (names.Length != optimizer.FirstMoments.Count)
            throw new InvalidOperationException($"the optimizer holds {optimizer.FirstMoments.Count} moments for {names.Length} parameters");
        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < names.Length; i++)
        {
            tensors.Add("m/" + names[i], optimizer.FirstMoments[i]);
            tensors.Add("v/" + names[i], optimizer.SecondMoments[i]);
        }
        return tensors;
    }
}

using RLDistributed.Core.Data;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Training;

namespace RLDistributed.Core.Checkpoints;

/// <summary>Builds what a checkpoint of a running trainer holds.</summary>
public static class CheckpointContents
{
    /// <summary>The state of <paramref name="trainer"/> before <paramref name="nextStep"/>, with its run description.</summary>
    public static CheckpointContent Capture(Trainer trainer, long nextStep, string runId, int worldSize, RunSpec spec, IDataset dataset)
    {
        var snapshot = TrainingSnapshot.Capture(trainer, nextStep);
        var options = trainer.Options;
        var state = new CheckpointState
        {
            RunId = runId, NextStep = nextStep, AdamIterations = snapshot.AdamIterations, WorldSize = worldSize, Seed = options.Seed,
            GlobalBatch = options.GlobalBatch, ExamplesSeen = nextStep * options.GlobalBatch, RunSpecJson = spec.ToJson(),
        };
        var model = new ModelManifest
        {
            Preset = spec.Preset.Name, Dataset = dataset.Name, ExampleShape = dataset.ExampleShape, Model = spec.Preset.Model, Training = options,
            Step = nextStep, Schedule = ScheduleSnapshot.Of(DiffusionSchedule.Create(options.Levels, options.StepSizeBSquared)),
        };
        return new CheckpointContent(snapshot, state, model);
    }
}

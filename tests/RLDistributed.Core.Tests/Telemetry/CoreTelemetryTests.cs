using System.Diagnostics;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Telemetry;
using RLDistributed.Core.Tests.Training;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Telemetry;

/// <summary>The core's spans are children of whatever span the caller has open (a worker's train.step), even on the checkpoint writer's task.</summary>
public sealed class CoreTelemetryTests : IDisposable
{
    private const string CallerName = "RLDistributed.Core.Tests.Caller";
    private static readonly ActivitySource Caller = new(CallerName);
    private readonly string _root = Directory.CreateTempSubdirectory("rld-telemetry-").FullName;
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public CoreTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is CoreTelemetry.Name or CallerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (_stopped) _stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void TrainStepAndCheckpoint_InsideACallerSpan_LangevinForwardBackwardOptimizerAndCheckpointSaveAreItsChildren()
    {
        using var scope = NewDisposeScope();
        var data = ToyDatasets.Create("8gaussians", 512, 3);
        var options = TrainingHarness.TinyOptions(7);
        using var energy = EnergyModelFactory.Create(TrainingHarness.TinyMlp, 7, CPU);
        using var ema = EnergyModelFactory.Create(TrainingHarness.TinyMlp, 7, CPU);
        using var trainer = new Trainer(energy, ema, data, options, CPU);
        var spec = new RunSpec { Preset = TrainingPresets.Get("toy2d") with { Model = TrainingHarness.TinyMlp, Training = options } };
        var writer = new BackgroundCheckpointWriter(new CheckpointStore(_root));

        string stepSpanId;
        ActivityTraceId trace;
        using (var step = Caller.StartActivity("train.step"))
        {
            stepSpanId = step!.SpanId.ToHexString();
            trace = step.TraceId;
            trainer.TrainStep(0);
            writer.Save(() => CheckpointContents.Capture(trainer, 1, "run-t", 1, spec, data));
        }
        writer.Flush();

        List<Activity> core;
        // Only this trace: test classes run side by side, and their trainers' spans reach this listener too.
        lock (_stopped) core = _stopped.Where(a => a.Source.Name == CoreTelemetry.Name && a.TraceId == trace).ToList();
        Assert.Equal(["checkpoint.save", "forward_backward", "langevin", "optimizer"], core.Select(a => a.OperationName).Order());
        Assert.All(core, a => Assert.Equal(stepSpanId, a.ParentSpanId.ToHexString()));
        var langevin = core.Single(a => a.OperationName == "langevin");
        Assert.Equal(options.LangevinSteps, langevin.GetTagItem("rld.langevin.steps"));
        var save = core.Single(a => a.OperationName == "checkpoint.save");
        Assert.Equal(1L, save.GetTagItem("rld.step"));
        Assert.StartsWith(_root, (string)save.GetTagItem("rld.checkpoint.directory")!);
    }
}

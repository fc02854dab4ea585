using System.Diagnostics;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// Writes checkpoints off the training thread: a save copies the state to host memory (the only part training
/// waits for, unless the previous write is still running) and writes the files on a background task; when a
/// checkpoint is durable, <paramref name="committed"/> runs (the coordinator records the commit then). A write
/// that failed is rethrown by the next save or by <see cref="Flush"/>, so a full disk stops training loudly.
/// </summary>
public sealed class BackgroundCheckpointWriter(CheckpointStore store, Func<string, CheckpointContent, Task>? committed = null)
{
    private Task _pending = Task.CompletedTask;

    /// <summary>The store written to.</summary>
    public CheckpointStore Store => store;

    /// <summary>Captures a checkpoint and starts writing it; returns how long training was held up.</summary>
    public TimeSpan Save(Func<CheckpointContent> capture)
    {
        var clock = Stopwatch.StartNew();
        _pending.GetAwaiter().GetResult();
        var content = capture();
        // The task inherits the current span (the worker's train.step), so the write and the coordinator's
        // commit of it land in that step's trace.
        _pending = Task.Run(async () =>
        {
            string directory;
            using (var span = Telemetry.CoreTelemetry.Source.StartActivity("checkpoint.save"))
            {
                var writing = Stopwatch.StartNew();
                directory = store.Save(content);
                Telemetry.CoreTelemetry.CheckpointDuration.Record(writing.Elapsed.TotalSeconds);
                span?.SetTag("rld.step", content.Snapshot.NextStep);
                span?.SetTag("rld.checkpoint.directory", directory);
            }
            if (committed is not null) await committed(directory, content).ConfigureAwait(false);
        });
        return clock.Elapsed;
    }

    /// <summary>Waits for the write in flight (at the end of a run).</summary>
    public void Flush() => _pending.GetAwaiter().GetResult();
}

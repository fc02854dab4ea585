using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Training;

/// <summary>The progress line of <c>rld train --workers N</c>, from the coordinator's status.</summary>
public static class ClusterProgressDescription
{
    /// <summary>What the run is doing: its state, step, loss and workers, or what it waits for after the last step.</summary>
    /// <param name="status">The coordinator's latest status.</param>
    /// <param name="steps">The run's steps.</param>
    /// <param name="sampleCount">Samples in the picture rank 0 draws at the end.</param>
    /// <param name="statusPage">The coordinator's status page, once announced.</param>
    public static string Of(RunStatus status, long steps, int sampleCount, string? statusPage)
    {
        ArgumentNullException.ThrowIfNull(status);
        // No loss until a step has combined (a resumed run starts at its checkpoint's step, with no loss yet).
        var loss = status.RecentSteps.Count == 0 ? "" : $"  loss {status.LastLoss:+0.0000;-0.0000}";
        var page = statusPage is null ? "" : $"  status {statusPage}";
        // After the last step rank 0 writes the model and draws the picture, a minute or more for an image preset on a
        // CPU, while the run is still "running": say what it waits for rather than sit at the last step.
        if (IsFinishing(status, steps))
            return $"finishing step {status.LastStep}/{steps}{loss}: rank 0 saves the model and draws {sampleCount} samples (levels in cluster.log){page}";
        return $"{status.State} step {status.LastStep}/{steps}{loss}  workers {status.Workers.Count(w => w.Alive)}/{status.WorldSize}{page}";
    }

    /// <summary>Every step has combined but the run has not completed: rank 0 is writing the model and the picture.</summary>
    public static bool IsFinishing(RunStatus status, long steps)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State == "running" && status.LastStep >= steps;
    }
}

using RLDistributed.Cli.Data;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary>Shows each file as one Spectre.Console progress row.</summary>
internal sealed class SpectreDownloadProgress(ProgressContext context) : IProgress<DownloadProgress>
{
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private readonly Lock _lock = new();

    public void Report(DownloadProgress value)
    {
        lock (_lock)
        {
            if (!_tasks.TryGetValue(value.FileName, out var task))
            {
                task = context.AddTask(value.FileName, autoStart: true, maxValue: Math.Max(1, value.BytesTotal ?? 1));
                _tasks[value.FileName] = task;
            }
            if (value.BytesTotal is { } total && total > 0) task.MaxValue = total;
            task.IsIndeterminate = value.BytesTotal is null;
            task.Value = value.BytesDone;
            task.Description = value.Stage switch
            {
                DownloadStage.Verifying => $"{value.FileName} (verifying)",
                DownloadStage.Extracting => $"{value.FileName} (extracting)",
                _ => value.FileName,
            };
            if (value.Stage == DownloadStage.Done) task.StopTask();
        }
    }
}

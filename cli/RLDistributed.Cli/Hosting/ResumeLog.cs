using Microsoft.Extensions.Logging;

namespace RLDistributed.Cli.Hosting;

/// <summary>What a service role says about the checkpoint it resumes from.</summary>
internal static partial class ResumeLog
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "skipped checkpoint {Path}: {Problem}")]
    public static partial void Skipped(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Run {RunId} resumes from {Directory} at step {Step} (saved by {WorldSize} worker(s))")]
    public static partial void Resuming(ILogger logger, string runId, string directory, long step, int worldSize);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Run {RunId}: no checkpoint in {Directory} to resume from; starting at step 0")]
    public static partial void NothingToResume(ILogger logger, string runId, string directory);
}

using Microsoft.Extensions.Logging;

namespace RLDistributed.Coordinator;

/// <summary>The coordinator's log messages (source-generated, structured).</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Run {RunId}: worker {WorkerId} joined ({Joined}/{Workers})")]
    public static partial void WorkerJoined(ILogger logger, string runId, string workerId, int joined, int workers);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Run {RunId}: rendezvous complete with {Workers} workers")]
    public static partial void RendezvousComplete(ILogger logger, string runId, int workers);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Run {RunId} step {Step}: loss {Loss:F5}, slowest rank {Seconds:F3} s")]
    public static partial void StepCombined(ILogger logger, string runId, long step, double loss, double seconds);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Run {RunId}: rank {Rank} left (completed {Completed}) {Error}")]
    public static partial void WorkerLeft(ILogger logger, string runId, int rank, bool completed, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Run {RunId} completed after {Step} steps")]
    public static partial void RunCompleted(ILogger logger, string runId, long step);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Run {RunId} failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "coordinator listening on {Address} for run {RunId} ({Workers} workers)")]
    public static partial void Listening(ILogger logger, string address, string runId, int workers);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Run {RunId}: membership change in generation {Generation}: {Reason}; the ring re-forms")]
    public static partial void MembershipChange(ILogger logger, string runId, long generation, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Run {RunId}: generation {Generation} formed with {Workers} workers at step {Step}; state source {Source}; resume from '{ResumeFrom}'")]
    public static partial void GenerationFormed(ILogger logger, string runId, long generation, int workers, long step, string source, string resumeFrom);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Run {RunId}: checkpoint of step {Step} committed ({Directory})")]
    public static partial void CheckpointCommitted(ILogger logger, string runId, long step, string directory);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Run {RunId}: continuing after a restart: generation {Generation} had {Members} workers; last commit at step {Step}; waiting for the workers to rejoin")]
    public static partial void Recovered(ILogger logger, string runId, long generation, int members, long step);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Run {RunId}: rank {Rank} is a straggler at step {Step}: compute {Seconds:F3} s against a median of {MedianSeconds:F3} s (more than {Factor}x for {Steps} steps in a row)")]
    public static partial void StragglerDetected(ILogger logger, string runId, int rank, long step, double seconds, double medianSeconds, double factor, int steps);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Run {RunId}: stopped writing the step metrics: {Reason}")]
    public static partial void MetricsFileFailed(ILogger logger, string runId, string reason);
}

using Microsoft.Extensions.Logging;

namespace RLDistributed.Worker;

/// <summary>The worker's log messages (source-generated; properties RunId, Rank, Generation, Step).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Joined run {RunId} as rank {Rank} of {WorldSize}, generation {Generation}, transport {Transport}")]
    public static partial void Joined(ILogger logger, string runId, int rank, int worldSize, long generation, string transport);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Run {RunId} rank {Rank} step {Step}: loss {Loss:F5}, {StepSeconds:F3} s, all-reduce {AllReduceSeconds:F3} s")]
    public static partial void StepDone(ILogger logger, string runId, int rank, long step, double loss, double stepSeconds, double allReduceSeconds);

    [LoggerMessage(EventId = 216, Level = LogLevel.Debug, Message = "Run {RunId} rank {Rank} step {Step}: backward {BackwardSeconds:F4} s, all-reduce {CommunicationSeconds:F4} s of which {HiddenSeconds:F4} s behind the backward (first bucket ready {WindowSeconds:F4} s before its end), waited {ExposedSeconds:F4} s (overlap {Overlapped})")]
    public static partial void StepTimings(ILogger logger, string runId, int rank, long step, double backwardSeconds, double communicationSeconds, double hiddenSeconds, double windowSeconds, double exposedSeconds, bool overlapped);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Run {RunId} rank {Rank}: heartbeat failed: {Detail}")]
    public static partial void HeartbeatFailed(ILogger logger, string runId, int rank, string detail);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Run {RunId} rank {Rank}: the coordinator asked the run to stop")]
    public static partial void StopRequested(ILogger logger, string runId, int rank);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Run {RunId} rank {Rank} finished {Steps} steps; final parameter hash {ParameterHash}")]
    public static partial void Finished(ILogger logger, string runId, int rank, long steps, string parameterHash);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Run {RunId} rank {Rank} wrote the model to {ModelDirectory} and samples to {SamplesPath}")]
    public static partial void ModelWritten(ILogger logger, string runId, int rank, string modelDirectory, string samplesPath);

    [LoggerMessage(EventId = 217, Level = LogLevel.Information, Message = "Run {RunId} rank {Rank}: drawing {Count} samples for {SamplesPath}, {LevelsDone} of {Levels} levels done")]
    public static partial void DrawingSamples(ILogger logger, string runId, int rank, int count, string samplesPath, int levelsDone, int levels);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Run {RunId} rank {Rank} failed at step {Step}: {Error}")]
    public static partial void Failed(ILogger logger, string runId, int rank, long step, string error);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Run {RunId} rank {Rank}: the coordinator re-forms the ring (generation {Generation} → {NewGeneration}); rejoining")]
    public static partial void ReformRequested(ILogger logger, string runId, int rank, long generation, long newGeneration);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Run {RunId} rank {Rank}: generation {Generation} ended at step {Step} ({Reason}); rejoining with the state of step {HeldStep}")]
    public static partial void GenerationEnded(ILogger logger, string runId, int rank, long generation, long step, string reason, long heldStep);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Run {RunId} rank {Rank}: state of step {Step} received from rank {Source} ({Bytes} bytes in {Seconds:F2} s)")]
    public static partial void StateFetched(ILogger logger, string runId, int rank, long step, int source, long bytes, double seconds);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Run {RunId} rank {Rank}: resumed from checkpoint {Directory} at step {Step}")]
    public static partial void Resumed(ILogger logger, string runId, int rank, string directory, long step);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Run {RunId}: checkpoint of step {Step} durable in {Directory}")]
    public static partial void CheckpointDurable(ILogger logger, string runId, long step, string directory);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Run {RunId}: could not record the commit of step {Step}: {Error}")]
    public static partial void CommitFailed(ILogger logger, string runId, long step, string error);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "Run {RunId} rank {Rank}: collective {Sequence} of generation {Generation} is stuck: not finished after {Seconds:F0} s")]
    public static partial void CollectiveStuck(ILogger logger, string runId, int rank, long generation, long sequence, double seconds);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "Run {RunId} rank {Rank}: debug step delay of {Milliseconds} ms per step is on (a test hook that makes this rank a straggler)")]
    public static partial void DebugStepDelay(ILogger logger, string runId, int rank, double milliseconds);
}

using Microsoft.Extensions.Logging;

namespace RLDistributed.Worker.Collective;

/// <summary>Source-generated log messages of the collective.</summary>
internal static partial class CollectiveLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Refused a pushed chunk of run {RunId} generation {Generation} from rank {Rank}: {Reason}")]
    public static partial void ChunkRefused(ILogger logger, string runId, long generation, int rank, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "The left neighbour's push stream broke; the mailbox of its generation is closed: {Reason}")]
    public static partial void PushStreamBroken(ILogger logger, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Refused a tcp ring connection from {Peer}: {Reason}")]
    public static partial void RingConnectionRefused(ILogger logger, string peer, string reason);
}

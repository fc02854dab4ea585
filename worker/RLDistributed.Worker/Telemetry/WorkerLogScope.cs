using Microsoft.Extensions.Logging;
using RLDistributed.Protos.V1;

namespace RLDistributed.Worker.Telemetry;

/// <summary>
/// Logging scopes that put RunId, Rank, Generation and Step on every event logged while they are open (Serilog
/// turns scope entries into properties), whichever message is logged and by whom.
/// </summary>
public static class WorkerLogScope
{
    /// <summary>RunId and WorkerId for the worker's whole life, before it has a rank and between generations.</summary>
    public static IDisposable? Run(ILogger logger, string runId, string workerId) =>
        logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["WorkerId"] = workerId });

    /// <summary>RunId, Rank, Generation and WorldSize for the length of a generation.</summary>
    public static IDisposable? Generation(ILogger logger, Assignment assignment) =>
        logger.BeginScope(new Dictionary<string, object>
        {
            ["RunId"] = assignment.RunId, ["Rank"] = assignment.Rank, ["Generation"] = assignment.Generation, ["WorldSize"] = assignment.WorldSize,
        });

    /// <summary>Step (1-based: the step being trained, as reports count it) for the length of a step.</summary>
    public static IDisposable? Step(ILogger logger, long step) =>
        logger.BeginScope(new Dictionary<string, object> { ["Step"] = step });
}

using Microsoft.Extensions.Logging;

namespace RLDistributed.Hosting.Security;

/// <summary>Log messages of the security layer; never with the token.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Refused a call to {Method} from {Peer}: {Reason}")]
    public static partial void CallRefused(ILogger logger, string method, string peer, string reason);
}

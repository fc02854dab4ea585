using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// Puts TraceId and SpanId of the current span on every event logged inside one, as named properties (the
/// compact JSON's @tr/@sp are not what log queries and the test look for), so a log line leads to its trace.
/// </summary>
public sealed class TraceContextEnricher : ILogEventEnricher
{
    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (Activity.Current is not { } span) return;
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("TraceId", span.TraceId.ToHexString()));
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SpanId", span.SpanId.ToHexString()));
    }
}

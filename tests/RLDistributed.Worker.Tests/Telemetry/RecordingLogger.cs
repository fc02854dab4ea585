using Microsoft.Extensions.Logging;

namespace RLDistributed.Worker.Tests.Telemetry;

/// <summary>Keeps every message logged through it, with its level and properties.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
        lock (_entries) _entries.Add((logLevel, formatter(state, exception), properties));
    }
}

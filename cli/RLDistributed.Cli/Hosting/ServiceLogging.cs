using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Compact;

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// Serilog behind Microsoft.Extensions.Logging for a service role run from the CLI: readable console lines
/// locally, compact JSON when RLD_LOG_JSON=1 (containers); RLD_LOG_LEVEL (Verbose, Debug, Information, Warning,
/// Error) sets the minimum level, Information by default. Code logs through ILogger; Serilog is the sink. Events
/// carry TraceId and SpanId inside a span, and the properties of the logging scopes (a worker's RunId, Rank,
/// Generation and Step).
/// </summary>
public static class ServiceLogging
{
    /// <summary>A logger factory whose events carry Component.</summary>
    public static ILoggerFactory CreateFactory(string component)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(MinimumLevel())
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Grpc", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.With<TraceContextEnricher>()
            .Enrich.WithProperty("Component", component);
        configuration = Environment.GetEnvironmentVariable("RLD_LOG_JSON") == "1"
            ? configuration.WriteTo.Console(new CompactJsonFormatter())
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Component}: {Message:lj}{NewLine}{Exception}");
        var logger = configuration.CreateLogger();
        return LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddSerilog(logger, dispose: true));
    }

    private static Serilog.Events.LogEventLevel MinimumLevel()
    {
        var text = Environment.GetEnvironmentVariable("RLD_LOG_LEVEL");
        if (string.IsNullOrWhiteSpace(text)) return Serilog.Events.LogEventLevel.Information;
        return Enum.TryParse<Serilog.Events.LogEventLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new CliUsageException("RLD_LOG_LEVEL", $"must be one of Verbose, Debug, Information, Warning, Error, Fatal (got '{text}')");
    }
}

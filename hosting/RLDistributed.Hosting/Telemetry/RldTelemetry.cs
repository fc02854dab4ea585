using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RLDistributed.Hosting.Telemetry;

/// <summary>
/// The process-wide OpenTelemetry providers of one role (coordinator or worker): the component's activity
/// sources and meters, gRPC client and server instrumentation (so W3C trace context crosses every call, and a
/// step's report or checkpoint commit is a child of the worker's step span on the coordinator), a Prometheus
/// exporter that the role's metrics endpoint serves, and OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// Sampling follows OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (default: parent-based, always on), so a long
/// run can keep e.g. 1% of step traces: <c>OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.01</c>.
/// </summary>
public sealed class RldTelemetry : IDisposable
{
    private readonly TracerProvider _tracing;

    private RldTelemetry(TracerProvider tracing, MeterProvider metrics, string serviceName)
    {
        _tracing = tracing;
        Metrics = metrics;
        ServiceName = serviceName;
    }

    /// <summary>The meter provider (its Prometheus exporter is what the metrics endpoint serves).</summary>
    public MeterProvider Metrics { get; }

    /// <summary>service.name of this process.</summary>
    public string ServiceName { get; }

    /// <summary>True when spans and metrics leave the process over OTLP.</summary>
    public bool ExportsOtlp { get; private init; }

    /// <summary>Builds the providers for <paramref name="serviceName"/> with the component's sources and meters.</summary>
    public static RldTelemetry Start(string serviceName, IReadOnlyCollection<string> activitySources, IReadOnlyCollection<string> meters)
    {
        var name = TelemetryEnvironment.ServiceName(serviceName);
        var exports = TelemetryEnvironment.ExportsOtlp;
        void Resource(ResourceBuilder resource) => resource.AddService(name, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}");

        var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(Resource)
            .AddSource([.. activitySources])
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !TelemetryFilters.IsNoise(context.Request.Path.Value))
            .AddGrpcClientInstrumentation(o =>
            {
                o.SuppressDownstreamInstrumentation = true;
                o.Filter = request => !TelemetryFilters.IsNoise(request.RequestUri?.AbsolutePath);
            })
            .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !TelemetryFilters.IsNoise(request.RequestUri?.AbsolutePath));
        if (exports) tracing.AddOtlpExporter();

        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(Resource)
            .AddMeter([.. meters])
            .AddPrometheusExporter();
        if (exports) metrics.AddOtlpExporter();
        return new RldTelemetry(tracing.Build(), metrics.Build(), name) { ExportsOtlp = exports };
    }

    /// <summary>Flushes what is buffered (the last spans of a run) and stops the providers.</summary>
    public void Dispose()
    {
        _tracing.ForceFlush(5000);
        _tracing.Dispose();
        Metrics.ForceFlush(5000);
        Metrics.Dispose();
    }
}

using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

/// <summary>values.schema.json stops a bad value at <c>helm template</c>/<c>install</c>, naming it.</summary>
public sealed class ChartSchemaTests
{
    [Theory]
    [InlineData("workers=0", "workers")]
    [InlineData("workers=-2", "workers")]
    [InlineData("workers=1025", "workers")]
    [InlineData("workers=two", "workers")]
    [InlineData("workers=1.5", "workers")]
    [InlineData("run.transport=udp", "run.transport")]
    [InlineData("run.id=Bad Run!", "run.id")]
    [InlineData("gpu.perWorker=0", "gpu.perWorker")]
    [InlineData("gpu.enabled=yes please", "gpu.enabled")]
    [InlineData("coordinator.port=70000", "coordinator.port")]
    [InlineData("worker.dataPort=0", "worker.dataPort")]
    [InlineData("worker.threads=0", "worker.threads")]
    [InlineData("persistence.accessMode=ReadMany", "persistence.accessMode")]
    [InlineData("persistence.size=lots", "persistence.size")]
    [InlineData("checkpoints.every=0", "checkpoints.every")]
    [InlineData("checkpoints.mountPath=relative/dir", "checkpoints.mountPath")]
    [InlineData("podSecurityContext.runAsNonRoot=false", "podSecurityContext.runAsNonRoot")]
    [InlineData("containerSecurityContext.allowPrivilegeEscalation=true", "containerSecurityContext.allowPrivilegeEscalation")]
    [InlineData("image.pullPolicy=Sometimes", "image.pullPolicy")]
    [InlineData("telemetry.otlpEndpoint=otel:4317", "telemetry.otlpEndpoint")]
    [InlineData("smokeTest.timeoutSeconds=0", "smokeTest.timeoutSeconds")]
    [InlineData("telemetry.logLevel=Chatty", "telemetry.logLevel")]
    [InlineData("run.minWorkers=0", "run.minWorkers")]
    [InlineData("run.maxRestarts=-1", "run.maxRestarts")]
    [InlineData("wokers=3", "wokers")]
    [InlineData("gpu.count=2", "count")]
    public async Task Template_BadValue_FailsNamingIt(string setting, string named)
    {
        var run = await Helm.TemplateAsync(setting);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("don't meet the specifications of the schema", run.Error, StringComparison.Ordinal);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_MinWorkersAboveWorkers_FailsNamingBoth()
    {
        var run = await Helm.TemplateAsync("workers=2", "run.minWorkers=3");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("run.minWorkers (3) cannot exceed workers (2)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_StringForWorkers_Fails()
    {
        var run = await Helm.TemplateWithArgumentsAsync("--set-string", "workers=3");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("workers: Invalid type. Expected: integer, given: string", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("workers=1")]
    [InlineData("workers=1024")]
    [InlineData("worker.threads=null")]
    [InlineData("run.transport=grpc")]
    [InlineData("persistence.accessMode=ReadWriteOncePod")]
    [InlineData("telemetry.otlpEndpoint=http://otel-collector.monitoring.svc:4317")]
    public async Task Template_EdgeOfTheRange_Renders(string setting)
    {
        var run = await Helm.TemplateAsync(setting);

        Assert.True(run.ExitCode == 0, run.Error);
    }
}

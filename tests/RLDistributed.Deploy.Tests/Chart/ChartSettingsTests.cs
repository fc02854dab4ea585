using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

/// <summary>The chart hands each role the settings its code reads (Rld__Role__Key, the OTEL_* variables, flags).</summary>
public sealed class ChartSettingsTests
{
    [Fact]
    public async Task Render_Defaults_CoordinatorGetsItsRunFromTheEnvironment()
    {
        var manifests = await Helm.RenderAsync();
        var coordinator = manifests.CoordinatorContainer;

        Assert.Equal(["coordinator"], coordinator.Args);
        Assert.Equal(Helm.Release, coordinator.Env("Rld__Coordinator__RunId"));
        Assert.Equal("2", coordinator.Env("Rld__Coordinator__Workers"));
        Assert.Equal("tcp", coordinator.Env("Rld__Coordinator__Transport"));
        Assert.Equal("0.0.0.0", coordinator.Env("Rld__Coordinator__Host"));
        Assert.Equal(coordinator.Ports.Single(p => p.Name == "grpc").ContainerPort.ToString(), coordinator.Env("Rld__Coordinator__Port"));
        Assert.Equal("/var/lib/rld/output", coordinator.Env("Rld__Coordinator__OutputDirectory"));
        Assert.Equal("500", coordinator.Env("Rld__Coordinator__CheckpointEvery"));
        Assert.Equal("3", coordinator.Env("Rld__Coordinator__KeepCheckpoints"));
        Assert.Equal("true", coordinator.Env("Rld__Coordinator__Resume"));
        Assert.Equal("1", coordinator.Env("Rld__Coordinator__MinWorkers"));
        Assert.Equal("10", coordinator.Env("Rld__Coordinator__MaxRestarts"));
        Assert.Equal("9464", coordinator.Env("Rld__Coordinator__MetricsPort"));
    }

    [Fact]
    public async Task Render_Defaults_CoordinatorSpecIsTheConfigMapsRunJson()
    {
        var manifests = await Helm.RenderAsync();
        var specPath = manifests.CoordinatorContainer.Env("Rld__Coordinator__Spec");

        var mount = Assert.Single(manifests.CoordinatorContainer.VolumeMounts, m => specPath.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = Assert.Single(manifests.Coordinator.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        var configMap = manifests.Single<V1ConfigMap>(volume.ConfigMap.Name);
        Assert.Contains(Path.GetFileName(specPath), configMap.Data.Keys);
    }

    [Fact]
    public async Task Render_Defaults_WorkersBindAllAddressesAndAdvertiseTheirStablePodName()
    {
        var manifests = await Helm.RenderAsync();
        var worker = manifests.WorkerContainer;

        Assert.Equal("0.0.0.0", worker.Env("Rld__Worker__Host"));
        Assert.Equal("$(POD_NAME).demo-rld-workers.$(POD_NAMESPACE).svc", worker.Env("Rld__Worker__AdvertiseHost"));
        Assert.Equal("$(POD_NAME)", worker.Env("Rld__Worker__WorkerId"));
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        var names = worker.Env.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("POD_NAME") < names.IndexOf("Rld__Worker__AdvertiseHost"));
        Assert.True(names.IndexOf("POD_NAMESPACE") < names.IndexOf("Rld__Worker__AdvertiseHost"));
        Assert.Equal("metadata.name", worker.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", worker.Env.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal(worker.Ports.Single(p => p.Name == "collective").ContainerPort.ToString(), worker.Env("Rld__Worker__CollectivePort"));
        Assert.Equal(worker.Ports.Single(p => p.Name == "data").ContainerPort.ToString(), worker.Env("Rld__Worker__DataPort"));
        Assert.Equal(worker.Ports.Single(p => p.Name == "metrics").ContainerPort.ToString(), worker.Env("Rld__Worker__MetricsPort"));
    }

    [Fact]
    public async Task Render_Defaults_WorkersDialTheCoordinatorServiceInTheReleaseNamespace()
    {
        var manifests = await Helm.RenderAsync();
        var service = manifests.Single<V1Service>("demo-rld-coordinator");

        var address = new Uri(manifests.WorkerContainer.Env("Rld__Worker__Coordinator"));

        Assert.Equal("http", address.Scheme);
        Assert.Equal($"{service.Metadata.Name}.{Helm.Namespace}.svc", address.Host);
        Assert.Equal(service.Spec.Ports.Single(p => p.Name == "grpc").Port, address.Port);
        Assert.Equal(manifests.CoordinatorContainer.Env("Rld__Coordinator__RunId"), manifests.WorkerContainer.Env("Rld__Worker__RunId"));
    }

    [Fact]
    public async Task Render_Values_ReachTheSettingsTheyName()
    {
        var manifests = await Helm.RenderAsync(
            "run.id=exp-7", "run.transport=grpc", "run.resume=false", "checkpoints.mountPath=/ckpt", "checkpoints.every=100",
            "checkpoints.keep=5", "output.mountPath=/model", "metrics.port=9100", "worker.threads=6", "workers=4", "run.minWorkers=3", "run.maxRestarts=0");

        var coordinator = manifests.CoordinatorContainer;
        var worker = manifests.WorkerContainer;
        Assert.Equal("exp-7", coordinator.Env("Rld__Coordinator__RunId"));
        Assert.Equal("exp-7", worker.Env("Rld__Worker__RunId"));
        Assert.Equal("grpc", coordinator.Env("Rld__Coordinator__Transport"));
        Assert.Equal("false", coordinator.Env("Rld__Coordinator__Resume"));
        Assert.Equal("100", coordinator.Env("Rld__Coordinator__CheckpointEvery"));
        Assert.Equal("5", coordinator.Env("Rld__Coordinator__KeepCheckpoints"));
        Assert.Equal("/model", coordinator.Env("Rld__Coordinator__OutputDirectory"));
        Assert.Equal("9100", worker.Env("Rld__Worker__MetricsPort"));
        Assert.Equal("3", coordinator.Env("Rld__Coordinator__MinWorkers"));
        Assert.Equal("0", coordinator.Env("Rld__Coordinator__MaxRestarts"));
        Assert.Equal(["worker", "--device", "cpu", "--threads", "6"], worker.Args);
        foreach (var (container, role) in new[] { (coordinator, "Coordinator"), (worker, "Worker") })
        {
            Assert.Equal("/ckpt", container.Env($"Rld__{role}__CheckpointDir"));
            Assert.Contains(container.VolumeMounts, m => m.MountPath == "/ckpt" && m.SubPath == "checkpoints");
            Assert.Contains(container.VolumeMounts, m => m.MountPath == "/model" && m.SubPath == "output");
        }
    }

    [Fact]
    public async Task Render_Defaults_ContainersLogJsonAndNameThemselvesToOpenTelemetry()
    {
        var manifests = await Helm.RenderAsync(
            "telemetry.otlpEndpoint=http://otel-collector.monitoring:4317", "telemetry.resourceAttributes=team=vision", "telemetry.logLevel=Debug");

        foreach (var (container, service) in new[] { (manifests.CoordinatorContainer, "rld-coordinator"), (manifests.WorkerContainer, "rld-worker") })
        {
            Assert.Equal("1", container.Env("RLD_LOG_JSON"));
            Assert.Equal("Debug", container.Env("RLD_LOG_LEVEL"));
            Assert.Equal(service, container.Env("OTEL_SERVICE_NAME"));
            Assert.Equal("http://otel-collector.monitoring:4317", container.Env("OTEL_EXPORTER_OTLP_ENDPOINT"));
            var attributes = container.Env("OTEL_RESOURCE_ATTRIBUTES").Split(',');
            Assert.Contains("rld.run_id=demo", attributes);
            Assert.Contains("k8s.pod.name=$(POD_NAME)", attributes);
            Assert.Equal("team=vision", attributes[^1]);
        }
    }

    [Fact]
    public async Task Render_NoOtlpEndpoint_ExportsNothing()
    {
        var manifests = await Helm.RenderAsync();

        Assert.False(manifests.CoordinatorContainer.HasEnv("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(manifests.WorkerContainer.HasEnv("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Render_Metrics_ScrapeAnnotationsAndPortsOnlyWhenEnabled(bool enabled)
    {
        var manifests = await Helm.RenderAsync($"metrics.enabled={enabled.ToString().ToLowerInvariant()}");

        foreach (var (template, container) in new[]
                 {
                     (manifests.Coordinator.Spec.Template, manifests.CoordinatorContainer),
                     (manifests.Workers.Spec.Template, manifests.WorkerContainer),
                 })
        {
            var annotations = template.Metadata.Annotations ?? new Dictionary<string, string>();
            Assert.Equal(enabled, annotations.TryGetValue("prometheus.io/scrape", out var scrape) && scrape == "true");
            Assert.Equal(enabled, container.Ports.Any(p => p.Name == "metrics" && p.ContainerPort == 9464));
            if (enabled) Assert.Equal("9464", annotations["prometheus.io/port"]);
        }
    }
}

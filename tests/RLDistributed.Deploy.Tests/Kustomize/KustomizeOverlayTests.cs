using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Kustomize;

public sealed class KustomizeOverlayTests
{
    public static readonly TheoryData<string> Overlays = new() { "cpu-dev", "gpu" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kustomize_Overlay_RendersTheChartsTopology(string overlay)
    {
        var manifests = await Kubectl.RenderAsync(overlay);
        var chart = await Helm.RenderAsync();

        Assert.Equal(Shape(chart), Shape(manifests));
        var headless = Assert.Single(manifests.All<V1Service>(), s => s.Spec.ClusterIP == "None");
        Assert.Equal(headless.Metadata.Name, manifests.Workers.Spec.ServiceName);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        Assert.Equal(manifests.Workers.Spec.Replicas.ToString(), manifests.CoordinatorContainer.Env("Rld__Coordinator__Workers"));
        Assert.Equal($"$(POD_NAME).{headless.Metadata.Name}.$(POD_NAMESPACE).svc", manifests.WorkerContainer.Env("Rld__Worker__AdvertiseHost"));
        Assert.All(manifests.WithMetadata(), o => Assert.Equal(overlay == "gpu" ? "rld" : "rld-dev", o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kustomize_Overlay_WiresTheSameSettingsAsTheChart(string overlay)
    {
        var manifests = await Kubectl.RenderAsync(overlay);
        var chart = await Helm.RenderAsync();

        Assert.Equal(EnvNames(chart.CoordinatorContainer), EnvNames(manifests.CoordinatorContainer));
        Assert.Equal(EnvNames(chart.WorkerContainer), EnvNames(manifests.WorkerContainer));
        var coordinator = manifests.Single<V1Service>("rld-coordinator");
        var address = new Uri(manifests.WorkerContainer.Env("Rld__Worker__Coordinator"));
        Assert.Equal(coordinator.Metadata.Name, address.Host);
        Assert.Equal(coordinator.Spec.Ports.Single(p => p.Name == "grpc").Port, address.Port);
        Assert.Equal(manifests.CoordinatorContainer.Env("Rld__Coordinator__RunId"), manifests.WorkerContainer.Env("Rld__Worker__RunId"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kustomize_Overlay_VolumesPointAtObjectsThatExistOrAreDocumented(string overlay)
    {
        var manifests = await Kubectl.RenderAsync(overlay);

        foreach (var pod in new[] { manifests.Coordinator.Spec.Template.Spec, manifests.Workers.Spec.Template.Spec })
        {
            foreach (var volume in pod.Volumes)
            {
                if (volume.ConfigMap is { } map) Assert.Contains("run.json", manifests.Single<V1ConfigMap>(map.Name).Data.Keys);
                if (volume.PersistentVolumeClaim is { } claim) manifests.Single<V1PersistentVolumeClaim>(claim.ClaimName);
                // The gpu overlay expects the token Secret to be created beforehand (see its kustomization).
                if (volume.Secret is { } secret && overlay == "cpu-dev") Assert.Contains("token", manifests.Single<V1Secret>(secret.SecretName).Data.Keys);
                if (volume.Secret is { } expected && overlay == "gpu") Assert.Equal("rld-token", expected.SecretName);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kustomize_Overlay_PodsAreLockedDownLabelledAndMakeTheirDirectories(string overlay)
    {
        var manifests = await Kubectl.RenderAsync(overlay);

        foreach (var template in new[] { manifests.Coordinator.Spec.Template, manifests.Workers.Spec.Template })
        {
            PodSpecAssertions.IsLockedDown(template.Spec);
            PodSpecAssertions.SubPathsAreCreatedFirst(template.Spec);
            var container = Assert.Single(template.Spec.Containers);
            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
            {
                Assert.Contains(container.Ports, p => p.ContainerPort == container.PortNumber(probe.TcpSocket.Port));
            }
            Assert.Equal("rld", template.Metadata.Labels["app.kubernetes.io/name"]);
            Assert.Equal("rldistributed", template.Metadata.Labels["app.kubernetes.io/part-of"]);
        }
        Assert.All(manifests.WithMetadata(), o => Assert.Equal("kustomize", o.Metadata.Labels["app.kubernetes.io/managed-by"]));
    }

    [Fact]
    public async Task Kustomize_Gpu_WorkersGetAGpuEachAndTheCudaImage()
    {
        var gpu = await Kubectl.RenderAsync("gpu");
        var cpu = await Kubectl.RenderAsync("cpu-dev");

        Assert.Equal("1", gpu.WorkerContainer.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal(["worker", "--device", "cuda"], gpu.WorkerContainer.Args);
        Assert.EndsWith("-cuda", gpu.WorkerContainer.Image, StringComparison.Ordinal);
        Assert.Equal("true", gpu.Workers.Spec.Template.Spec.NodeSelector["nvidia.com/gpu.present"]);
        Assert.False(gpu.CoordinatorContainer.Resources.Limits.ContainsKey("nvidia.com/gpu"), "the coordinator needs no GPU");
        Assert.False(cpu.WorkerContainer.Resources.Limits.ContainsKey("nvidia.com/gpu"));
        Assert.Equal("cpu", cpu.WorkerContainer.Args[cpu.WorkerContainer.Args.IndexOf("--device") + 1]);
    }

    [Fact]
    public void Base_RunJson_IsTheChartsDefault()
    {
        Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "files", "run.json")),
            File.ReadAllText(Path.Combine(RepositoryPaths.Kustomize, "base", "run.json")));
    }

    /// <summary>What runs, independent of names: kinds, and the component of each workload and service.</summary>
    private static List<string> Shape(RenderedManifests manifests) => manifests.WithMetadata()
        .Where(o => o is not V1Secret && o is not V1Pod)
        .Select(o => $"{o.GetType().Name}/{(o.Metadata.Labels.TryGetValue("app.kubernetes.io/component", out var c) ? c : "-")}")
        .Order(StringComparer.Ordinal)
        .ToList();

    private static List<string> EnvNames(V1Container container) => container.Env.Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
}

using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartGpuTests
{
    [Fact]
    public async Task Render_Defaults_NoPodAsksForAGpuAndWorkersTrainOnCpu()
    {
        var manifests = await Helm.RenderAsync();

        foreach (var container in AllContainers(manifests))
        {
            Assert.False(AsksFor(container, "nvidia.com/gpu"), $"{container.Name} asks for a GPU");
        }
        Assert.Equal(["worker", "--device", "cpu"], manifests.WorkerContainer.Args);
    }

    [Fact]
    public async Task Render_GpuEnabled_EachWorkerLimitsItsGpusAndTrainsOnCuda()
    {
        var manifests = await Helm.RenderAsync("gpu.enabled=true", "gpu.perWorker=2", "workers=4");
        var worker = manifests.WorkerContainer;

        Assert.Equal("2", worker.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("8Gi", worker.Resources.Limits["memory"].ToString());
        Assert.Equal(["worker", "--device", "cuda"], worker.Args);
        Assert.False(AsksFor(manifests.CoordinatorContainer, "nvidia.com/gpu"), "the coordinator needs no GPU");
        Assert.False(AsksFor(Assert.Single(manifests.TestPod.Spec.Containers), "nvidia.com/gpu"), "the smoke test needs no GPU");
    }

    [Fact]
    public async Task Render_GpuEnabledWithPlacement_WorkersGetTheNodeSelectorAndTolerations()
    {
        var manifests = await Helm.RenderAsync(
            "gpu.enabled=true", "gpu.resourceName=amd.com/gpu",
            "worker.nodeSelector.accelerator=h100",
            "worker.tolerations[0].key=nvidia.com/gpu", "worker.tolerations[0].operator=Exists", "worker.tolerations[0].effect=NoSchedule");
        var pod = manifests.Workers.Spec.Template.Spec;

        Assert.Equal("1", manifests.WorkerContainer.Resources.Limits["amd.com/gpu"].ToString());
        Assert.Equal("h100", pod.NodeSelector["accelerator"]);
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        Assert.Null(manifests.Coordinator.Spec.Template.Spec.NodeSelector);
    }

    private static bool AsksFor(V1Container container, string resource) =>
        container.Resources?.Limits?.ContainsKey(resource) == true || container.Resources?.Requests?.ContainsKey(resource) == true;

    private static IEnumerable<V1Container> AllContainers(RenderedManifests manifests) =>
        new[] { manifests.Coordinator.Spec.Template.Spec, manifests.Workers.Spec.Template.Spec, manifests.TestPod.Spec }.SelectMany(p => p.Containers);
}

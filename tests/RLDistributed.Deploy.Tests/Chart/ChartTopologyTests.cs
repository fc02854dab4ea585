using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartTopologyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public async Task Render_Workers_StatefulSetHasThatManyReplicasBehindTheHeadlessService(int workers)
    {
        var manifests = await Helm.RenderAsync($"workers={workers}");

        var headless = manifests.Single<V1Service>("demo-rld-workers");
        Assert.Equal(workers, manifests.Workers.Spec.Replicas);
        Assert.Equal(headless.Metadata.Name, manifests.Workers.Spec.ServiceName);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses, "peers must resolve each other while the ring forms, before they are ready");
        Assert.Equal("Parallel", manifests.Workers.Spec.PodManagementPolicy);
        Assert.Equal(workers.ToString(), manifests.CoordinatorContainer.Env("Rld__Coordinator__Workers"));
    }

    [Fact]
    public async Task Render_Defaults_OneCoordinatorReplacedNeverDoubled()
    {
        var manifests = await Helm.RenderAsync();

        Assert.Equal(1, manifests.Coordinator.Spec.Replicas);
        Assert.Equal("Recreate", manifests.Coordinator.Spec.Strategy.Type);
    }

    [Fact]
    public async Task Render_Defaults_EachServiceSelectsExactlyItsOwnPods()
    {
        var manifests = await Helm.RenderAsync();
        var coordinatorPods = manifests.Coordinator.Spec.Template.Metadata.Labels;
        var workerPods = manifests.Workers.Spec.Template.Metadata.Labels;

        var coordinatorService = manifests.Single<V1Service>("demo-rld-coordinator");
        var workersService = manifests.Single<V1Service>("demo-rld-workers");

        Assert.True(Selects(coordinatorService.Spec.Selector, coordinatorPods));
        Assert.False(Selects(coordinatorService.Spec.Selector, workerPods));
        Assert.True(Selects(workersService.Spec.Selector, workerPods));
        Assert.False(Selects(workersService.Spec.Selector, coordinatorPods));
        Assert.True(Selects(manifests.Coordinator.Spec.Selector.MatchLabels, coordinatorPods));
        Assert.True(Selects(manifests.Workers.Spec.Selector.MatchLabels, workerPods));
    }

    [Fact]
    public async Task Render_Defaults_ServicePortsTargetTheContainerPorts()
    {
        var manifests = await Helm.RenderAsync();

        AssertTargets(manifests.Single<V1Service>("demo-rld-coordinator"), manifests.CoordinatorContainer);
        AssertTargets(manifests.Single<V1Service>("demo-rld-workers"), manifests.WorkerContainer);
    }

    [Fact]
    public async Task Render_Defaults_EveryObjectCarriesTheRecommendedLabels()
    {
        var manifests = await Helm.RenderAsync();

        foreach (var resource in manifests.WithMetadata())
        {
            var labels = resource.Metadata.Labels;
            Assert.Equal("rld", labels["app.kubernetes.io/name"]);
            Assert.Equal(Helm.Release, labels["app.kubernetes.io/instance"]);
            Assert.Equal("Helm", labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("rldistributed", labels["app.kubernetes.io/part-of"]);
            Assert.Equal("0.1.0", labels["app.kubernetes.io/version"]);
        }
        Assert.Equal("coordinator", manifests.Coordinator.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("worker", manifests.Workers.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("smoke-test", manifests.TestPod.Metadata.Labels["app.kubernetes.io/component"]);
    }

    [Fact]
    public async Task Render_Defaults_ProbesKnockOnTheGrpcPortsTheContainersServe()
    {
        var manifests = await Helm.RenderAsync();

        foreach (var (container, expectedPort) in new[] { (manifests.CoordinatorContainer, 50051), (manifests.WorkerContainer, 50052) })
        {
            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
            {
                Assert.NotNull(probe?.TcpSocket);
                Assert.Equal(expectedPort, container.PortNumber(probe.TcpSocket.Port));
            }
        }
    }

    [Fact]
    public async Task Render_OtherPorts_ProbesAndServicesFollow()
    {
        var manifests = await Helm.RenderAsync("coordinator.port=6000", "worker.collectivePort=6001", "worker.dataPort=6002");

        Assert.Equal(6000, manifests.CoordinatorContainer.PortNumber(manifests.CoordinatorContainer.LivenessProbe.TcpSocket.Port));
        Assert.Equal(6001, manifests.WorkerContainer.PortNumber(manifests.WorkerContainer.ReadinessProbe.TcpSocket.Port));
        Assert.Equal("6000", manifests.CoordinatorContainer.Env("Rld__Coordinator__Port"));
        Assert.Equal("6002", manifests.WorkerContainer.Env("Rld__Worker__DataPort"));
        Assert.EndsWith(":6000", manifests.WorkerContainer.Env("Rld__Worker__Coordinator"), StringComparison.Ordinal);
    }

    private static bool Selects(IDictionary<string, string> selector, IDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static void AssertTargets(V1Service service, V1Container container)
    {
        Assert.NotEmpty(service.Spec.Ports);
        foreach (var port in service.Spec.Ports)
        {
            var target = Assert.Single(container.Ports, p => p.Name == port.TargetPort.Value);
            Assert.Equal(port.Port, target.ContainerPort);
        }
    }
}

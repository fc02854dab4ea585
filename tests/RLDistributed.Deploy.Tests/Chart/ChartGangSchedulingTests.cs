using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartGangSchedulingTests
{
    [Fact]
    public async Task Render_Defaults_NoPodGroupAndTheDefaultScheduler()
    {
        var manifests = await Helm.RenderAsync();

        Assert.Empty(manifests.All<VolcanoPodGroup>());
        Assert.Null(manifests.Workers.Spec.Template.Spec.SchedulerName);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    public async Task Render_GangScheduling_PodGroupNeedsEveryWorkerAndTheWorkersJoinIt(int workers)
    {
        var manifests = await Helm.RenderAsync("gangScheduling.enabled=true", "gangScheduling.queue=training", $"workers={workers}", "gpu.enabled=true", "gpu.perWorker=8");

        var group = Assert.Single(manifests.All<VolcanoPodGroup>());
        Assert.Equal(workers, group.Spec.MinMember);
        Assert.Equal("training", group.Spec.Queue);
        Assert.Equal((workers * 8).ToString(), group.Spec.MinResources!["nvidia.com/gpu"].ToString());
        var template = manifests.Workers.Spec.Template;
        Assert.Equal("volcano", template.Spec.SchedulerName);
        Assert.Equal(group.Metadata.Name, template.Metadata.Annotations["scheduling.k8s.io/group-name"]);
    }
}

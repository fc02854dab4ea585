using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartSmokeTestHookTests
{
    [Fact]
    public async Task Render_Workers_HelmTestRunsRingCheckAgainstTheSameRunAndRingSize()
    {
        var manifests = await Helm.RenderAsync("workers=5", "run.id=exp-3", "smokeTest.steps=4", "smokeTest.timeoutSeconds=900");

        var pod = manifests.TestPod;
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(manifests.CoordinatorContainer.Image, container.Image);
        Assert.Equal(
            ["ring-check", "--coordinator", manifests.WorkerContainer.Env("Rld__Worker__Coordinator"), "--workers", "5", "--run-id", "exp-3", "--steps", "4", "--timeout", "900"],
            container.Args);
    }
}

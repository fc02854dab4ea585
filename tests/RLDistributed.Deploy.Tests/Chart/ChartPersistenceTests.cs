using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartPersistenceTests
{
    [Fact]
    public async Task Render_Defaults_OneSharedClaimHoldsCheckpointsAndOutputInEveryPod()
    {
        var manifests = await Helm.RenderAsync();

        var claim = manifests.Single<V1PersistentVolumeClaim>();
        Assert.Equal(["ReadWriteMany"], claim.Spec.AccessModes);
        Assert.Equal("20Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("keep", claim.Metadata.Annotations["helm.sh/resource-policy"]);
        foreach (var (pod, container) in Roles(manifests))
        {
            var volume = Assert.Single(pod.Volumes, v => v.PersistentVolumeClaim?.ClaimName == claim.Metadata.Name);
            Assert.Contains(container.VolumeMounts, m => m.Name == volume.Name && m.MountPath == "/var/lib/rld/checkpoints" && m.SubPath == "checkpoints");
            Assert.Contains(container.VolumeMounts, m => m.Name == volume.Name && m.MountPath == "/var/lib/rld/output" && m.SubPath == "output");
        }
    }

    [Fact]
    public async Task Render_PersistenceOff_NoClaimAndScratchVolumesInstead()
    {
        var manifests = await Helm.RenderAsync("persistence.enabled=false");

        Assert.Empty(manifests.All<V1PersistentVolumeClaim>());
        foreach (var (pod, container) in Roles(manifests))
        {
            Assert.DoesNotContain(pod.Volumes, v => v.PersistentVolumeClaim is not null);
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/var/lib/rld/checkpoints");
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == mount.Name).EmptyDir);
        }
    }

    [Theory]
    [InlineData("persistence.enabled=true")]
    [InlineData("persistence.enabled=false")]
    public async Task Render_Persistence_SubPathDirectoriesAreMadeByThePodsUserFirst(string setting)
    {
        var manifests = await Helm.RenderAsync(setting, "checkpoints.mountPath=/ckpt");

        foreach (var (pod, _) in Roles(manifests))
        {
            PodSpecAssertions.SubPathsAreCreatedFirst(pod);
        }
    }

    [Fact]
    public async Task Render_ExistingClaimAndAccessMode_UsesThatClaimAndCreatesNone()
    {
        var manifests = await Helm.RenderAsync("persistence.existingClaim=shared-ckpt");
        var created = await Helm.RenderAsync("persistence.accessMode=ReadWriteOnce", "persistence.size=5Gi", "persistence.storageClass=fast");

        Assert.Empty(manifests.All<V1PersistentVolumeClaim>());
        Assert.All(Roles(manifests), r => Assert.Contains(r.Pod.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "shared-ckpt"));
        var claim = created.Single<V1PersistentVolumeClaim>();
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.Equal("5Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("fast", claim.Spec.StorageClassName);
    }

    [Fact]
    public async Task Render_DataEnabled_WorkersMountTheDataClaimReadOnly()
    {
        var without = await Helm.RenderAsync();
        var manifests = await Helm.RenderAsync("data.enabled=true", "data.existingClaim=datasets", "data.mountPath=/data");

        var mount = Assert.Single(manifests.WorkerContainer.VolumeMounts, m => m.MountPath == "/data");
        Assert.True(mount.ReadOnlyProperty);
        var volume = Assert.Single(manifests.Workers.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        Assert.Equal("datasets", volume.PersistentVolumeClaim.ClaimName);
        Assert.True(volume.PersistentVolumeClaim.ReadOnlyProperty);
        Assert.DoesNotContain(without.WorkerContainer.VolumeMounts, m => m.MountPath == "/var/lib/rld/data");
    }

    [Fact]
    public async Task Render_DataEnabledWithoutClaim_FailsNamingTheValue()
    {
        var run = await Helm.TemplateAsync("data.enabled=true");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("data.existingClaim is required", run.Error, StringComparison.Ordinal);
    }

    private static IEnumerable<(V1PodSpec Pod, V1Container Container)> Roles(RenderedManifests manifests) =>
    [
        (manifests.Coordinator.Spec.Template.Spec, manifests.CoordinatorContainer),
        (manifests.Workers.Spec.Template.Spec, manifests.WorkerContainer),
    ];
}

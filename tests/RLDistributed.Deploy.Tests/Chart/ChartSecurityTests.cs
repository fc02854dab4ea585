using k8s.Models;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartSecurityTests
{
    [Theory]
    [InlineData]
    [InlineData("gpu.enabled=true", "tls.enabled=true", "tls.existingSecret=run-tls", "data.enabled=true", "data.existingClaim=datasets")]
    public async Task Render_EveryPod_RunsAsNonRootWithoutPrivilegesOnAReadOnlyRoot(params string[] settings)
    {
        var manifests = await Helm.RenderAsync(settings);
        var pods = new[] { manifests.Coordinator.Spec.Template.Spec, manifests.Workers.Spec.Template.Spec, manifests.TestPod.Spec };

        foreach (var pod in pods)
        {
            PodSpecAssertions.IsLockedDown(pod);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.False(pod.AutomountServiceAccountToken);
            foreach (var container in pod.Containers)
            {
                // A read-only root needs a writable /tmp for .NET and torch.
                var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
                Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);
            }
        }
    }

    [Fact]
    public async Task Render_Defaults_TokenComesFromAGeneratedSecretMountedAsAFile()
    {
        var manifests = await Helm.RenderAsync();

        var secret = manifests.Single<V1Secret>("demo-rld-token");
        Assert.True(secret.Data["token"].Length >= 32, "a generated token is long");
        foreach (var (container, spec, role) in new[]
                 {
                     (manifests.CoordinatorContainer, manifests.Coordinator.Spec.Template.Spec, "Coordinator"),
                     (manifests.WorkerContainer, manifests.Workers.Spec.Template.Spec, "Worker"),
                 })
        {
            Assert.Equal("/var/run/rld/token/token", container.Env($"Rld__{role}__TokenFile"));
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/var/run/rld/token");
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal(secret.Metadata.Name, Assert.Single(spec.Volumes, v => v.Name == mount.Name).Secret.SecretName);
        }
    }

    [Fact]
    public async Task Render_ExistingTokenSecret_CreatesNoneAndMountsThatOne()
    {
        var manifests = await Helm.RenderAsync("token.existingSecret=team-token", "token.secretKey=run-token");

        Assert.Empty(manifests.All<V1Secret>());
        Assert.Equal("/var/run/rld/token/run-token", manifests.WorkerContainer.Env("Rld__Worker__TokenFile"));
        Assert.Contains(manifests.Workers.Spec.Template.Spec.Volumes, v => v.Secret?.SecretName == "team-token");
    }
}

using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartTlsTests
{
    [Fact]
    public async Task Render_TlsEnabled_BothRolesGetTheMountedCertificatesAndTheAddressIsHttps()
    {
        var manifests = await Helm.RenderAsync("tls.enabled=true", "tls.existingSecret=run-tls");

        foreach (var (container, pod, role) in new[]
                 {
                     (manifests.CoordinatorContainer, manifests.Coordinator.Spec.Template.Spec, "Coordinator"),
                     (manifests.WorkerContainer, manifests.Workers.Spec.Template.Spec, "Worker"),
                 })
        {
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == "/var/run/rld/tls");
            Assert.True(mount.ReadOnlyProperty);
            Assert.Equal("run-tls", Assert.Single(pod.Volumes, v => v.Name == mount.Name).Secret.SecretName);
            Assert.Equal("/var/run/rld/tls/tls.crt", container.Env($"Rld__{role}__TlsCert"));
            Assert.Equal("/var/run/rld/tls/tls.key", container.Env($"Rld__{role}__TlsKey"));
            Assert.Equal("/var/run/rld/tls/ca.crt", container.Env($"Rld__{role}__TlsCa"));
        }
        Assert.StartsWith("https://", manifests.WorkerContainer.Env("Rld__Worker__Coordinator"), StringComparison.Ordinal);
        var check = Assert.Single(manifests.TestPod.Spec.Containers);
        Assert.StartsWith("https://", check.Args[check.Args.IndexOf("--coordinator") + 1], StringComparison.Ordinal);
        Assert.Equal("/var/run/rld/tls/ca.crt", check.Env("SSL_CERT_FILE"));
    }

    [Fact]
    public async Task Render_Defaults_NoTlsSettingsAndPlainHttp()
    {
        var manifests = await Helm.RenderAsync();

        Assert.DoesNotContain(manifests.WorkerContainer.Env, e => e.Name.Contains("Tls", StringComparison.Ordinal));
        Assert.DoesNotContain(manifests.CoordinatorContainer.Env, e => e.Name.Contains("Tls", StringComparison.Ordinal));
        Assert.StartsWith("http://", manifests.WorkerContainer.Env("Rld__Worker__Coordinator"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_TlsWithoutSecret_FailsNamingTheValue()
    {
        var run = await Helm.TemplateAsync("tls.enabled=true");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("tls.existingSecret is required", run.Error, StringComparison.Ordinal);
    }
}

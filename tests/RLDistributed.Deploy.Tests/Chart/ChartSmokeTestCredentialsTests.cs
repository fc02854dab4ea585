using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

/// <summary>The helm test pod is a client of the run: it must present the run's token, and with TLS the run's certificate.</summary>
public sealed class ChartSmokeTestCredentialsTests
{
    [Fact]
    public async Task Render_TestPodReadsTheWorkersTokenFile_FromTheSameSecret()
    {
        var manifests = await Helm.RenderAsync();

        var pod = manifests.TestPod;
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(manifests.WorkerContainer.Env("Rld__Worker__TokenFile"), container.Env("Rld__Worker__TokenFile"));
        var token = Assert.Single(pod.Spec.Volumes, v => v.Secret is not null && v.Name == "token");
        Assert.Equal(Assert.Single(manifests.Workers.Spec.Template.Spec.Volumes, v => v.Name == "token").Secret.SecretName, token.Secret.SecretName);
        Assert.Contains(container.VolumeMounts, m => m.Name == "token" && m.ReadOnlyProperty == true);
        Assert.False(container.HasEnv("Rld__Worker__TlsCert"));
    }

    [Fact]
    public async Task Render_Tls_TestPodPresentsTheRunsCertificate()
    {
        var manifests = await Helm.RenderAsync("tls.enabled=true", "tls.existingSecret=rld-tls");

        var container = Assert.Single(manifests.TestPod.Spec.Containers);
        foreach (var name in new[] { "Rld__Worker__TlsCert", "Rld__Worker__TlsKey", "Rld__Worker__TlsCa" })
            Assert.Equal(manifests.WorkerContainer.Env(name), container.Env(name));
    }
}

using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartLintTests
{
    /// <summary>The value combinations the chart is rendered with in CI.</summary>
    private static readonly string[][] CombinationList =
    [
        [],
        ["gpu.enabled=true", "gpu.perWorker=8", "workers=4", "worker.nodeSelector.accelerator=h100"],
        ["gangScheduling.enabled=true", "gpu.enabled=true", "gangScheduling.queue=training", "gangScheduling.priorityClassName=high"],
        ["persistence.enabled=false", "metrics.enabled=false", "serviceAccount.create=false"],
        ["tls.enabled=true", "tls.existingSecret=run-tls", "telemetry.otlpEndpoint=https://otel:4317", "data.enabled=true", "data.existingClaim=datasets"],
    ];

    public static TheoryData<string[]> Combinations => new(CombinationList);

    [Fact]
    public async Task Lint_Strict_Passes()
    {
        var run = await Helm.LintAsync();

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("0 chart(s) failed", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Template_Combination_RendersAndParses(string[] settings)
    {
        var manifests = await Helm.RenderAsync(settings);

        Assert.NotEmpty(manifests.Objects);
    }

    [Fact]
    public async Task Template_GpuExample_RendersAGangScheduledGpuRing()
    {
        var manifests = RenderedManifests.Parse((await Helm.TemplateWithArgumentsAsync("--values", "charts/rld/examples/gpu.yaml")).EnsureSuccess());

        Assert.Equal(4, manifests.Workers.Spec.Replicas);
        Assert.Equal(4, Assert.Single(manifests.All<VolcanoPodGroup>()).Spec.MinMember);
        Assert.Equal("1", manifests.WorkerContainer.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.EndsWith(":0.1.0-cuda", manifests.WorkerContainer.Image, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_CpuDevExample_RendersOneThreadWorkersOnAReadWriteOnceClaim()
    {
        var manifests = RenderedManifests.Parse((await Helm.TemplateWithArgumentsAsync("--values", "charts/rld/examples/cpu-dev.yaml")).EnsureSuccess());

        Assert.Equal(["worker", "--device", "cpu", "--threads", "1"], manifests.WorkerContainer.Args);
        Assert.Equal(["ReadWriteOnce"], Assert.Single(manifests.All<k8s.Models.V1PersistentVolumeClaim>()).Spec.AccessModes);
        Assert.Equal("0", manifests.WorkerContainer.Env("RLD_LOG_JSON"));
    }

    [YamllintFact]
    public async Task Yamllint_RenderedCombinations_AreClean()
    {
        foreach (var settings in CombinationList)
        {
            var yaml = (await Helm.TemplateAsync(settings)).EnsureSuccess();

            var lint = await Yamllint.LintAsync(yaml);

            Assert.True(lint.ExitCode == 0, $"yamllint of helm template {string.Join(' ', settings)}:\n{lint.Output}{lint.Error}");
        }
    }

    [YamllintFact]
    public async Task Yamllint_ValuesChartAndKustomizeSources_AreClean()
    {
        var lint = await Yamllint.LintPathsAsync("charts/rld/values.yaml", "charts/rld/Chart.yaml", "charts/rld/examples", "k8s", ".yamllint.yaml");

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
    }
}

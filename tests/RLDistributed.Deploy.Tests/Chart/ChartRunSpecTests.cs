using System.Text.Json.Nodes;
using k8s.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Chart;

public sealed class ChartRunSpecTests
{
    [Fact]
    public async Task Render_Defaults_RunJsonIsTheToy2dPresetTheCoordinatorCanRead()
    {
        var manifests = await Helm.RenderAsync();

        var spec = RunSpec.FromJson(manifests.Single<V1ConfigMap>().Data["run.json"]);

        var expected = new RunSpec { Preset = TrainingPresets.Get("toy2d") };
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.ToJson()), JsonNode.Parse(spec.ToJson())),
            "charts/rld/files/run.json no longer matches the toy2d preset; regenerate it from `rld train --workers` (threadsPerWorker null)");
    }

    [Fact]
    public async Task Render_SpecValue_ReplacesTheDefaultAndRestartsTheCoordinator()
    {
        var before = await Helm.RenderAsync();
        var file = Path.Combine(Path.GetTempPath(), $"rld-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new RunSpec { Preset = TrainingPresets.Get("mnist"), DataPath = "/var/lib/rld/data/mnist" }.ToJson());
        RenderedManifests after;
        try
        {
            after = RenderedManifests.Parse((await Helm.TemplateWithArgumentsAsync("--set-file", $"run.spec={file}")).EnsureSuccess());
        }
        finally
        {
            File.Delete(file);
        }

        var spec = RunSpec.FromJson(after.Single<V1ConfigMap>().Data["run.json"]);
        Assert.Equal("mnist", spec.Preset.Name);
        Assert.Equal("/var/lib/rld/data/mnist", spec.DataPath);
        Assert.NotEqual(
            before.Coordinator.Spec.Template.Metadata.Annotations["checksum/run"],
            after.Coordinator.Spec.Template.Metadata.Annotations["checksum/run"]);
    }
}

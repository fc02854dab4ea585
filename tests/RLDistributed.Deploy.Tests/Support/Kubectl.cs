namespace RLDistributed.Deploy.Tests.Support;

/// <summary>The kustomize overlays through the real kubectl (offline: kustomize reads local files only).</summary>
internal static class Kubectl
{
    public static async Task<string> KustomizeAsync(string overlay) =>
        (await ToolRun.RunAsync(RepositoryPaths.Kubectl, ["kustomize", Path.Combine(RepositoryPaths.Kustomize, "overlays", overlay)])).EnsureSuccess();

    public static async Task<RenderedManifests> RenderAsync(string overlay) => RenderedManifests.Parse(await KustomizeAsync(overlay));
}

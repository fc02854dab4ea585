namespace RLDistributed.Deploy.Tests.Support;

/// <summary>The chart through the real helm binary.</summary>
internal static class Helm
{
    public const string Release = "demo";
    public const string Namespace = "training";

    /// <summary><c>helm template</c> of the chart with <c>--set</c> pairs.</summary>
    public static Task<ToolRun> TemplateAsync(params string[] settings) =>
        TemplateWithArgumentsAsync(settings.SelectMany(s => new[] { "--set", s }).ToArray());

    /// <summary><c>helm template</c> of the chart with any further helm arguments (<c>--set-file</c>, <c>-f</c>).</summary>
    public static Task<ToolRun> TemplateWithArgumentsAsync(params string[] arguments) =>
        ToolRun.RunAsync(RepositoryPaths.Helm, ["template", Release, RepositoryPaths.Chart, "--namespace", Namespace, .. arguments]);

    /// <summary>Renders and parses; throws with helm's message when it fails.</summary>
    public static async Task<RenderedManifests> RenderAsync(params string[] settings) =>
        RenderedManifests.Parse((await TemplateAsync(settings)).EnsureSuccess());

    public static Task<ToolRun> LintAsync() => ToolRun.RunAsync(RepositoryPaths.Helm, ["lint", "--strict", RepositoryPaths.Chart]);
}

using System.Text.Json;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Build;

/// <summary>The TorchBackend build property picks RLDistributed.Core's native LibTorch (evaluation only, nothing restored).</summary>
public sealed class TorchBackendTests
{
    [Theory]
    [InlineData(null, "libtorch-cpu-linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("cpu", "libtorch-cpu-linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("cuda", "TorchSharp-cuda-linux", "libtorch-cpu-linux-x64")]
    public async Task Evaluate_Backend_ReferencesItsLibTorchOnly(string? backend, string referenced, string absent)
    {
        var packages = await PackageReferencesAsync(backend is null ? [] : [$"-p:TorchBackend={backend}"]);

        Assert.Contains(referenced, packages);
        Assert.DoesNotContain(absent, packages);
        Assert.Contains("TorchSharp", packages);
    }

    [Fact]
    public async Task Build_UnknownBackend_StopsNamingIt()
    {
        var run = await ToolRun.RunAsync("dotnet", ["msbuild", CoreProject, "-t:CollectPackageReferences", "-p:TorchBackend=rocm", "-nologo"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("TorchBackend must be cpu or cuda, got 'rocm'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void CentralVersions_CudaPackage_IsPinnedToTheTorchSharpVersion()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"));
        string Version(string id) => props.Descendants("PackageVersion").Single(p => p.Attribute("Include")!.Value == id).Attribute("Version")!.Value;

        Assert.Equal(Version("TorchSharp"), Version("TorchSharp-cuda-linux"));
    }

    private static string CoreProject => Path.Combine(RepositoryPaths.Root, "core", "RLDistributed.Core", "RLDistributed.Core.csproj");

    private static async Task<List<string>> PackageReferencesAsync(string[] properties)
    {
        var output = (await ToolRun.RunAsync("dotnet", ["msbuild", CoreProject, "-getItem:PackageReference", "-nologo", .. properties])).EnsureSuccess();
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!).ToList();
    }
}

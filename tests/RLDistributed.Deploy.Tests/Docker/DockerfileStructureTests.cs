using System.Text.Json;
using System.Xml.Linq;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Docker;

/// <summary>
/// docker/Dockerfile, checked for what the image must be (no Docker engine builds it here): the build
/// stage's commands are the ones run by hand, the runtime stage is a non-root Ubuntu 24.04 image.
/// </summary>
public sealed class DockerfileStructureTests
{
    private const string CliProject = "cli/RLDistributed.Cli/RLDistributed.Cli.csproj";
    private static readonly Dockerfile File = Dockerfile.Parse(System.IO.File.ReadAllText(RepositoryPaths.Dockerfile));

    [Fact]
    public void Dockerfile_Stages_BuildThenRuntimeLast()
    {
        Assert.Equal(["build", "runtime"], File.Stages.Select(s => s.Name));
        Assert.Contains("/dotnet/sdk:", File.Stage("build").BaseImage, StringComparison.Ordinal);
        Assert.Contains("/dotnet/aspnet:", File.Stage("runtime").BaseImage, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_TorchBackend_DefaultsToCpuAndReachesRestoreAndPublish()
    {
        Assert.Contains(File.GlobalInstructions, i => i is { Keyword: "ARG", Arguments: "TORCH_BACKEND=cpu" });
        var build = File.Stage("build");
        Assert.Contains("TORCH_BACKEND", build.Arguments("ARG"));

        var runs = build.Arguments("RUN").ToList();
        var restore = Assert.Single(runs, r => r.StartsWith("dotnet restore", StringComparison.Ordinal));
        var publish = Assert.Single(runs, r => r.StartsWith("dotnet publish", StringComparison.Ordinal));
        Assert.Equal($"dotnet restore {CliProject} -p:TorchBackend=${{TORCH_BACKEND}}", restore);
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", publish, StringComparison.Ordinal);
        Assert.Contains("--no-restore", publish, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {CliProject} -c Release -o /app", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_RestoreLayer_CopiesEveryProjectTheCliNeeds()
    {
        var build = File.Stage("build");
        var beforeRestore = build.Instructions
            .TakeWhile(i => !(i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal)))
            .Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToHashSet();

        var needed = ProjectClosure(CliProject).Concat(["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build/"]);

        Assert.All(needed, path => Assert.Contains(path, beforeRestore));
    }

    [Fact]
    public void Dockerfile_Runtime_IsUbuntuNobleRunAsTheChartsNonRootUser()
    {
        var runtime = File.Stage("runtime");

        // Ubuntu 24.04's libstdc++ (GCC 13+) has what LibTorchSharp needs, so the build's libstdc++ fix is a no-op.
        Assert.EndsWith("-noble", runtime.BaseImage, StringComparison.Ordinal);
        var user = Assert.Single(runtime.Arguments("USER")).Split(':');
        Assert.True(int.TryParse(user[0], out var uid) && uid > 0, $"USER {string.Join(':', user)} must be a numeric non-root uid");
        Assert.Equal(ChartValue("runAsUser:"), uid);
        Assert.True(runtime.Instructions.ToList().FindIndex(i => i.Keyword == "USER") > runtime.Instructions.ToList().FindLastIndex(i => i.Keyword == "RUN"),
            "no RUN after USER: the image's set-up runs as root, the container never does");
    }

    [Fact]
    public void Dockerfile_Runtime_LogsJsonAndAsksTheGpuRuntimeForCompute()
    {
        var environment = string.Join(' ', File.Stage("runtime").Arguments("ENV"));

        Assert.Contains("RLD_LOG_JSON=1", environment, StringComparison.Ordinal);
        Assert.Contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility", environment, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_Entrypoint_IsThePublishedRldInExecForm()
    {
        var runtime = File.Stage("runtime");

        var entrypoint = JsonSerializer.Deserialize<string[]>(runtime.Arguments("ENTRYPOINT").Single())!;
        var copy = Assert.Single(runtime.Arguments("COPY"), c => c.StartsWith("--from=build", StringComparison.Ordinal));
        var target = copy.Split(' ')[^1];

        Assert.Equal([$"{target}/rld"], entrypoint);
        Assert.Equal("--from=build /app " + target, copy);
    }

    [Fact]
    public void Dockerignore_KeepsBuildOutputsAndToolsOutButNothingTheDockerfileCopies()
    {
        var ignored = System.IO.File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        var copied = File.Stage("build").Arguments("COPY")
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .Select(p => p.Split('/')[0] + (p.Contains('/') ? "/" : ""));

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", ".git/", "tools/", "runs/" }, ignored);
        Assert.All(copied, path => Assert.DoesNotContain(path, ignored));
    }

    /// <summary>A project and everything it references, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            var directory = Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, current))!;
            var references = XDocument.Load(Path.Combine(RepositoryPaths.Root, current)).Descendants("ProjectReference")
                .Select(r => Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(directory, r.Attribute("Include")!.Value))).Replace('\\', '/'));
            foreach (var reference in references) pending.Push(reference);
        }
        return seen;
    }

    private static int ChartValue(string key)
    {
        var line = System.IO.File.ReadAllLines(Path.Combine(RepositoryPaths.Chart, "values.yaml")).First(l => l.Trim().StartsWith(key, StringComparison.Ordinal));
        return int.Parse(line.Trim()[key.Length..].Trim());
    }
}

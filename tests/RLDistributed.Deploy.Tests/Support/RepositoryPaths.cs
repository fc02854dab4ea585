namespace RLDistributed.Deploy.Tests.Support;

/// <summary>Where the repository and the deployment tools are, seen from the test assembly.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding RLDistributed.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "rld");

    public static string Kustomize => Path.Combine(Root, "k8s");

    public static string Dockerfile => Path.Combine(Root, "docker", "Dockerfile");

    /// <summary>helm, as scripts/fetch-k8s-tools.sh puts it; a clear failure when it is not there.</summary>
    public static string Helm => RequireTool(Path.Combine(Root, "tools", "helm", "helm"));

    /// <summary>kubectl, as scripts/fetch-k8s-tools.sh puts it.</summary>
    public static string Kubectl => RequireTool(Path.Combine(Root, "tools", "kubectl", "kubectl"));

    private static string RequireTool(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run 'bash scripts/fetch-k8s-tools.sh' (make test runs it through make setup)", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RLDistributed.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no RLDistributed.sln above {AppContext.BaseDirectory}");
    }
}

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>yamllint with the repository's .yamllint.yaml.</summary>
internal static class Yamllint
{
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("PATH")?
        .Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "yamllint"))
        .FirstOrDefault(File.Exists);

    /// <summary>Lints YAML given on stdin.</summary>
    public static Task<ToolRun> LintAsync(string yaml) =>
        ToolRun.RunAsync(Executable!, ["--strict", "-c", Path.Combine(RepositoryPaths.Root, ".yamllint.yaml"), "-"], input: yaml);

    /// <summary>Lints files or folders.</summary>
    public static Task<ToolRun> LintPathsAsync(params string[] paths) =>
        ToolRun.RunAsync(Executable!, ["--strict", "-c", Path.Combine(RepositoryPaths.Root, ".yamllint.yaml"), .. paths]);
}

using System.Diagnostics;
using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Docker;

/// <summary>
/// The one step of the image that can run here: the build stage's `dotnet publish`, with the Dockerfile's own
/// arguments (the CPU backend, the output folder swapped for a temporary one), must succeed and produce the
/// entrypoint the runtime stage starts, which answers for every role.
/// </summary>
public sealed class DockerfilePublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("rld-publish-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task BuildStagePublish_WithTheDockerfilesArguments_ProducesTheEntrypoint()
    {
        var dockerfile = Dockerfile.Parse(File.ReadAllText(RepositoryPaths.Dockerfile));
        var publish = Assert.Single(dockerfile.Stage("build").Arguments("RUN"), r => r.StartsWith("dotnet publish", StringComparison.Ordinal));
        var arguments = publish.Replace("${TORCH_BACKEND}", "cpu", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var outputIndex = arguments.IndexOf("-o") + 1;
        Assert.True(outputIndex > 0, $"the publish step names no output folder: {publish}");
        Assert.Equal("/app", arguments[outputIndex]);
        arguments[outputIndex] = _output;

        var (code, text) = await RunAsync("dotnet", arguments, RepositoryPaths.Root);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{text}");

        // COPY --from=build /app /opt/rld, ENTRYPOINT ["/opt/rld/rld"]: the published apphost is the entrypoint.
        var entrypoint = Path.Combine(_output, "rld");
        Assert.True(File.Exists(entrypoint), $"no {entrypoint} after publishing");
        var (helpCode, help) = await RunAsync(entrypoint, ["--help"], _output);
        Assert.True(helpCode == 0, help);
        foreach (var role in new[] { "coordinator", "worker", "ring-check" }) Assert.Contains(role, help, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}

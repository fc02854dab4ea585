using System.Diagnostics;

namespace RLDistributed.Deploy.Tests.Support;

/// <summary>One finished run of an external tool (helm, kubectl, yamllint, dotnet).</summary>
internal sealed record ToolRun(string Command, int ExitCode, string Output, string Error)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/>, optionally feeding <paramref name="input"/> on stdin.</summary>
    public static async Task<ToolRun> RunAsync(string tool, IEnumerable<string> arguments, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
            UseShellExecute = false, WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new ToolRun($"{Path.GetFileName(tool)} {string.Join(' ', start.ArgumentList)}", process.ExitCode, await output, await error);
    }

    /// <summary>The output, or a failure that shows the command and what it printed.</summary>
    public string EnsureSuccess() => ExitCode == 0
        ? Output
        : throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:\n{Error}\n{Output}");
}

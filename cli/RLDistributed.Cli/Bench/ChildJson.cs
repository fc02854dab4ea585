using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace RLDistributed.Cli.Bench;

/// <summary>Runs a benchmark in a child process of its own and reads the one JSON line it prints.</summary>
public static class ChildJson
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and parses its last line that starts with '{'.</summary>
    public static async Task<T> RunAsync<T>(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var lines = new ConcurrentQueue<string>();
        var output = Task.Run(async () => { while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line) lines.Enqueue(line); }, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output.ConfigureAwait(false);
        var json = lines.LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || json is null)
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}{string.Join('\n', lines)}");
        return JsonSerializer.Deserialize<T>(json) ?? throw new InvalidOperationException($"empty result from {fileName}");
    }

    /// <summary>Runs <paramref name="fileName"/> and returns all of its standard output (exit code 0 required).</summary>
    public static async Task<string> RunTextAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
        return await output.ConfigureAwait(false);
    }

    /// <summary>How to run this very CLI again: the apphost, or <c>dotnet rld.dll</c>.</summary>
    public static (string FileName, string[] Prefix) Self()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? (processPath, [typeof(ChildJson).Assembly.Location]) : (processPath, []);
    }
}

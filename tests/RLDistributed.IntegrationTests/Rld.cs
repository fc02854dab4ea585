using System.Diagnostics;

namespace RLDistributed.IntegrationTests;

/// <summary>Runs the real <c>rld</c> as a child process and captures its output.</summary>
internal static class Rld
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] args) => RunInAsync(null, new Dictionary<string, string>(), timeout, args);

    /// <summary>Runs rld in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static async Task<Result> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rld.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rld {string.Join(' ', args)} did not finish within {timeout}: {await output}{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}

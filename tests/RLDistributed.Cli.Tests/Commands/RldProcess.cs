using System.Diagnostics;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary>Runs the real <c>rld</c> (the CLI assembly copied beside the tests) as a child process.</summary>
internal static class RldProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static Task<Result> RunAsync(params string[] args) => RunWithEnvironmentAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs rld with extra environment variables.</summary>
    public static Task<Result> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, interruptWhen: null, args);

    /// <summary>Runs rld and sends it SIGINT (as Ctrl-C does) once <paramref name="interruptWhen"/> holds, polled every 20 ms.</summary>
    public static Task<Result> RunInterruptedAsync(Func<bool> interruptWhen, params string[] args) =>
        RunAsync(new Dictionary<string, string>(), interruptWhen, args);

    private static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, Func<bool>? interruptWhen, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rld.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // Generous: a loaded 2-core machine runs these several times slower than a quiet one. A child that outlives it
        // is killed, so that a hung run fails its test instead of running on beside the next ones.
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            if (interruptWhen is not null)
            {
                while (!process.HasExited && !interruptWhen()) await Task.Delay(20, timeout.Token);
                if (!process.HasExited)
                {
                    using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                    await interrupt.WaitForExitAsync(timeout.Token);
                }
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rld {string.Join(' ', args)} did not finish within {Limit.TotalMinutes} minutes; killed");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}

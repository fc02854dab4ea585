using System.Diagnostics;

namespace RLDistributed.IntegrationTests.Observability;

/// <summary>Headless Chromium (Debian chromium, installed by scripts/setup.sh as root): the DOM after scripts ran, and screenshots.</summary>
internal static class Chromium
{
    public static string? Executable { get; } = new[] { "chromium", "chromium-browser" }
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>The DOM of <paramref name="url"/> after its scripts had <paramref name="budget"/> of virtual time.</summary>
    public static Task<string> DumpDomAsync(Uri url, TimeSpan budget, string profile) =>
        RunAsync(profile, "--dump-dom", $"--virtual-time-budget={(int)budget.TotalMilliseconds}", url.ToString());

    /// <summary>A PNG of <paramref name="url"/> at 1280×1000.</summary>
    public static Task<string> ScreenshotAsync(Uri url, string path, TimeSpan budget, string profile) =>
        RunAsync(profile, $"--screenshot={path}", "--window-size=1280,1000", $"--virtual-time-budget={(int)budget.TotalMilliseconds}", url.ToString());

    private static async Task<string> RunAsync(string profile, params string[] args)
    {
        // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile}" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish in 90 s: {await error}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await error}");
        return await output;
    }
}

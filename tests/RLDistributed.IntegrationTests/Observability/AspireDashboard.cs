using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RLDistributed.IntegrationTests.Observability;

/// <summary>
/// The Aspire Dashboard as a real OTLP receiver on loopback (NuGet Aspire.Dashboard.Sdk.linux-x64, fetched by
/// the restore of this project and copied to tools/aspire-dashboard by scripts/fetch-dashboard.sh). Both ports
/// are chosen by the OS and read from its log; spans are read back through GET /api/telemetry/traces.
/// </summary>
internal sealed partial class AspireDashboard : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private AspireDashboard(Process process) => _process = process;

    /// <summary>The dashboard's executable, or null when it was not fetched.</summary>
    public static string? Executable { get; } = Candidates().FirstOrDefault(File.Exists);

    /// <summary>http://127.0.0.1:PORT of the UI and its API.</summary>
    public Uri Frontend { get; private set; } = null!;

    /// <summary>http://127.0.0.1:PORT of the OTLP/gRPC receiver.</summary>
    public Uri Otlp { get; private set; } = null!;

    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <summary>Starts the dashboard and waits until both its endpoints listen.</summary>
    public static async Task<AspireDashboard> StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://127.0.0.1:0";
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["DOTNET_gcServer"] = "0";
        var dashboard = new AspireDashboard(new Process { StartInfo = start });
        dashboard._process.OutputDataReceived += (_, e) => dashboard.Record(e.Data);
        dashboard._process.ErrorDataReceived += (_, e) => dashboard.Record(e.Data);
        dashboard._process.Start();
        dashboard._process.BeginOutputReadLine();
        dashboard._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var output = dashboard.Output;
            var frontend = FrontendLine().Match(output);
            var otlp = OtlpGrpcLine().Match(output);
            if (frontend.Success && otlp.Success)
            {
                dashboard.Frontend = new Uri(frontend.Groups[1].Value);
                dashboard.Otlp = new Uri(otlp.Groups[1].Value);
                return dashboard;
            }
            if (dashboard._process.HasExited) break;
            await Task.Delay(100);
        }
        var log = dashboard.Output;
        dashboard.Dispose();
        throw new InvalidOperationException($"the Aspire dashboard did not start listening within {timeout}:\n{log}");
    }

    /// <summary>Every span the dashboard holds, as its OTLP JSON.</summary>
    public async Task<string> TracesJsonAsync(HttpClient http) => await http.GetStringAsync(new Uri(Frontend, "/api/telemetry/traces?limit=1000"));

    public void Dispose() => ProcessTree.KillAndDispose(_process);

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    private static IEnumerable<string> Candidates()
    {
        var root = RepositoryRoot();
        if (root is not null) yield return Path.Combine(root, "tools", "aspire-dashboard", "Aspire.Dashboard");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(packages, "aspire.dashboard.sdk.linux-x64", "13.6.5", "tools", "Aspire.Dashboard");
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RLDistributed.sln"))) return dir.FullName;
        return null;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex FrontendLine();

    [GeneratedRegex(@"OTLP/gRPC listening on: (http://\S+)")]
    private static partial Regex OtlpGrpcLine();
}

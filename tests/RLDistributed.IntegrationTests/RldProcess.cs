using System.Diagnostics;

namespace RLDistributed.IntegrationTests;

/// <summary>A real <c>rld</c> child process whose output lines are kept for assertions; killed with its tree when disposed.</summary>
internal sealed class RldProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private RldProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet rld.dll ARGS</c> with extra environment variables.</summary>
    public static RldProcess Start(string name, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rld.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var child = new RldProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Record(e.Data);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public List<string> Lines()
    {
        lock (_lines) return [.. _lines];
    }

    public string Output => string.Join('\n', Lines());

    /// <summary>The first line containing <paramref name="text"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var line = Lines().Find(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            if (_process.HasExited)
            {
                await Task.Delay(200); // the last lines may still be on their way
                line = Lines().Find(l => l.Contains(text, StringComparison.Ordinal));
                return line ?? throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{Name} printed no line with '{text}' within {timeout}:\n{Output}");
    }

    /// <summary>Waits for the exit; false when it did not come within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no chance to clean up, as when a node dies.</summary>
    public void KillHard()
    {
        using var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
        _process.WaitForExit(10_000);
    }

    /// <summary>kill -TERM: a graceful stop, as when a pod is deleted.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public void Dispose() => ProcessTree.KillAndDispose(_process);
}

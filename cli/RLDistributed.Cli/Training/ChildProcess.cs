using System.Diagnostics;

namespace RLDistributed.Cli.Training;

/// <summary>
/// A child <c>rld</c> process of a local cluster: the same executable re-invoked with another verb. Its
/// output lines are forwarded with a prefix, and it is killed (with its tree) when disposed.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>"coordinator", "worker-0", …</summary>
    public string Name { get; }

    /// <summary>Completes when the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Exit code (valid after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>rld ARGS</c>; every output line goes to <paramref name="onLine"/>.</summary>
    public static ChildProcess Start(string name, IEnumerable<string> args, Action<ChildProcess, string> onLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (fileName, prefix) = SelfCommand();
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in prefix.Concat(args)) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(child, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(child, e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL to the process tree (no chance to clean up, as when a node is lost); the object stays usable.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <summary>Kills the process tree if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
    }

    /// <summary>How to run this very CLI again: the apphost itself, or <c>dotnet rld.dll</c>.</summary>
    private static (string FileName, string[] Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(ChildProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? (processPath, [assembly]) : (processPath, []);
    }
}

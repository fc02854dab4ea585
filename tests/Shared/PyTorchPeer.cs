using System.ComponentModel;
using System.Diagnostics;

namespace RLDistributed.Tests.Shared;

/// <summary>
/// Runs a reference script of tests/peers (copied beside the tests) with Debian's PyTorch, python3-torch, which
/// <c>make setup</c> installs. A test that needs it fails, with a message that says how to install it, when it is
/// missing: its numbers cannot be checked any other way.
/// </summary>
internal static class PyTorchPeer
{
    /// <summary>The interpreter whose torch module Debian's python3-torch provides.</summary>
    public const string Python = "/usr/bin/python3";

    private const string InstallHint = "install it with `make setup` as root (Debian: apt-get install python3-torch libopenblas0-pthread)";

    /// <summary>Runs <c>peers/<paramref name="script"/></c> with <paramref name="arguments"/>; fails the test, with the script's error, if it does not succeed.</summary>
    public static void Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // One thread each: the reference computes little, and the machine's cores belong to the tests.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{Python} cannot be started ({e.Message}): the PyTorch reference needs Python with PyTorch; {InstallHint}");
            return;
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
            if (error.Contains("No module named 'torch'", StringComparison.Ordinal))
                Assert.Fail($"{Python} has no torch module: the PyTorch reference needs it; {InstallHint}");
            Assert.True(process.ExitCode == 0, $"{script} exited {process.ExitCode}: {output.Result}{error}");
        }
    }
}

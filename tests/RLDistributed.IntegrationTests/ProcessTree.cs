using System.Diagnostics;

namespace RLDistributed.IntegrationTests;

/// <summary>Ends a child process started by a test, with whatever it started, and releases it.</summary>
internal static class ProcessTree
{
    public static void KillAndDispose(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        process.Dispose();
    }
}

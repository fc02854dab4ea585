namespace RLDistributed.Cli.Hosting;

/// <summary>Process exit codes of <c>rld</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (bad data file, failed download, training diverged).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line: unknown option, bad value, missing argument.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C / SIGTERM.</summary>
    public const int Cancelled = 130;
}

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// A bad option value found after parsing (out of range, missing file, unknown preset).
/// The entry point prints its message as one line and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
public sealed class CliUsageException(string option, string problem) : Exception($"{option}: {problem}")
{
    /// <summary>The option or argument at fault, as the user typed it (e.g. "--steps").</summary>
    public string Option { get; } = option;
}

using System.CommandLine;
using RLDistributed.Cli.Commands;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Training;

namespace RLDistributed.Cli;

/// <summary>Builds the <c>rld</c> command tree and maps failures to exit codes.</summary>
public static class RldApp
{
    /// <summary>Parses and runs one command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("rld: train and sample energy-based models by Diffusion Recovery Likelihood");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line that names the option; the full help stays one `--help` away.
            Console.Error.WriteLine($"rld: {parsed.Errors[0].Message}");
            return ExitCodes.Usage;
        }

        try
        {
            // Off so that CliUsageException reaches the catch below instead of printing a stack trace (exit 1).
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException usage)
        {
            Console.Error.WriteLine($"rld: {usage.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception failure) when (failure is DataFormatException or ModelStoreException or TrainingDivergedException)
        {
            // Failures of the work itself (a bad file, a diverged run): one line, exit 1.
            Console.Error.WriteLine($"rld: {failure.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("rld: cancelled");
            return ExitCodes.Cancelled;
        }
    }
}

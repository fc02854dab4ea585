using System.CommandLine;
using System.Runtime.InteropServices;
using RLDistributed.Cli.Commands;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.PyTorchFiles;
using RLDistributed.Core.Training;

namespace RLDistributed.Cli;

/// <summary>Builds the <c>rld</c> command tree and maps failures to exit codes.</summary>
public static class RldApp
{
    /// <summary>Parses and runs one command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Before any tensor exists: libtorch's storage then stays in the heap between steps (NativeHeapSettings).
        NativeHeapSettings.Apply();
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
            // SIGTERM (a pod stopped) and Ctrl-C cancel the command's token; the command decides how to end
            // (a worker leaves its run first). Handled here, not by System.CommandLine or the embedded hosts.
            using var stop = new CancellationTokenSource();
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
            // The default exception handler is off so that CliUsageException reaches the catch below (exit 2, one line).
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop.Token);
        }
        catch (CliUsageException usage)
        {
            Console.Error.WriteLine($"rld: {usage.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception failure) when (failure is DataFormatException or ModelStoreException or PyTorchFileException or TrainingDivergedException)
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

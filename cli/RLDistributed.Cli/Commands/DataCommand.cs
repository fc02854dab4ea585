using System.CommandLine;
using System.Net;
using RLDistributed.Cli.Data;
using RLDistributed.Cli.Hosting;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld data fetch NAME --to DIR [--source URL]</c>: downloads and verifies a data set.</summary>
public static class DataCommand
{
    /// <summary>Builds the <c>data</c> command and its subcommands.</summary>
    public static Command Create() => new("data", "Manage training data sets") { CreateFetch() };

    private static Command CreateFetch()
    {
        var names = string.Join(", ", DatasetSources.All.Select(s => s.Name));
        var name = new Argument<string>("name") { Description = $"Data set to fetch: {names}" };
        var to = new Option<string>("--to") { Description = "Directory to download into (created if needed)", Required = true };
        var source = new Option<string?>("--source")
        {
            Description = "Base URL to fetch the files from instead of the public source (a mirror)",
        };

        var command = new Command("fetch", "Download a data set with resume and SHA-256 verification") { name, to, source };
        command.SetAction(async (parse, ct) =>
        {
            var dataset = DatasetSources.Find(parse.GetValue(name)!)
                ?? throw new CliUsageException("name", $"unknown data set '{parse.GetValue(name)}'; valid names: {names}");
            var baseAddress = ParseSource(parse.GetValue(source));
            var directory = parse.GetValue(to)!;

            using var http = CreateHttpClient();
            var fetcher = new DatasetFetcher(http, baseAddress);
            try
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                        new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(ctx => fetcher.FetchAsync(dataset, directory, new SpectreDownloadProgress(ctx), ct));
            }
            catch (Exception e) when (e is DownloadException or IOException or UnauthorizedAccessException or HttpRequestException)
            {
                Console.Error.WriteLine($"rld: {e.Message}");
                return ExitCodes.Failure;
            }
            AnsiConsole.MarkupLineInterpolated($"[green]{dataset.Name}[/] is in {Path.GetFullPath(directory)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Uri? ParseSource(string? value)
    {
        if (value is null) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliUsageException("--source", $"'{value}' is not an absolute http(s) URL");
        return uri;
    }

    private static HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None, // the hashes are of the bytes as published
        };
        // No overall timeout: CIFAR-10 is 170 MB; a stalled transfer is left to Ctrl+C and a resumed run.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}

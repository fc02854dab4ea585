namespace RLDistributed.Cli.Data;

/// <summary>Fetches every file of a <see cref="DatasetSource"/> into a directory and unpacks archives.</summary>
/// <param name="http">Client used for every request (tests pass one aimed at loopback).</param>
/// <param name="baseAddress">Overrides the source's base address (mirrors, tests); null keeps it.</param>
public sealed class DatasetFetcher(HttpClient http, Uri? baseAddress = null)
{
    /// <summary>Suffix of the empty file that records a finished unpack of an archive.</summary>
    public const string ExtractedSuffix = ".extracted";

    /// <summary>Downloads and verifies each file into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="DownloadException">A file failed to download, verify or unpack.</exception>
    public async Task<IReadOnlyList<DownloadOutcome>> FetchAsync(
        DatasetSource source, string directory, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var root = baseAddress ?? source.BaseAddress;
        // Without a trailing slash, new Uri(base, name) would replace the last path segment.
        if (!root.AbsoluteUri.EndsWith('/')) root = new Uri(root.AbsoluteUri + "/");

        var downloader = new FileDownloader(http);
        var outcomes = new List<DownloadOutcome>();
        foreach (var file in source.Files)
        {
            var destination = Path.Combine(directory, file.FileName);
            var outcome = await downloader.DownloadAsync(new Uri(root, file.FileName), destination, file, progress, ct);
            outcomes.Add(outcome);
            if (!source.ExtractTarGz) continue;

            var marker = destination + ExtractedSuffix;
            if (outcome == DownloadOutcome.AlreadyPresent && File.Exists(marker)) continue;
            progress?.Report(new(file.FileName, file.Size, file.Size, DownloadStage.Extracting));
            File.Delete(marker);
            await TarGzExtractor.ExtractAsync(destination, directory, ct);
            await File.WriteAllTextAsync(marker, "", ct);
            progress?.Report(new(file.FileName, file.Size, file.Size, DownloadStage.Done));
        }
        return outcomes;
    }
}

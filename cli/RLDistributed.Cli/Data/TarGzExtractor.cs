using System.Formats.Tar;
using System.IO.Compression;

namespace RLDistributed.Cli.Data;

/// <summary>Unpacks a .tar.gz into a directory: regular files and folders only, nothing outside the directory.</summary>
public static class TarGzExtractor
{
    /// <summary>Extracts <paramref name="archive"/> into <paramref name="directory"/>; each file lands under its final name only when whole.</summary>
    /// <exception cref="DownloadException">The archive is corrupt or an entry points outside <paramref name="directory"/>.</exception>
    public static async Task ExtractAsync(string archive, string directory, CancellationToken ct)
    {
        var root = Path.GetFullPath(directory);
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        try
        {
            await using var file = File.OpenRead(archive);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                var target = Path.GetFullPath(Path.Combine(root, entry.Name));
                if (!target.StartsWith(rootWithSeparator, StringComparison.Ordinal) && target != root)
                    throw new DownloadException(archive, $"entry '{entry.Name}' would land outside {root}");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        var part = target + FileDownloader.PartSuffix;
                        await entry.ExtractToFileAsync(part, overwrite: true, ct);
                        File.Move(part, target, overwrite: true);
                        break;
                    default:
                        break; // links and devices are never needed for data sets
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DownloadException(archive, $"corrupt archive: {e.Message}", e);
        }
    }
}

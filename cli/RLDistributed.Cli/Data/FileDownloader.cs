using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace RLDistributed.Cli.Data;

/// <summary>
/// Downloads one file to <c>NAME.part</c>, resuming with an HTTP Range request after a broken connection, then
/// verifies its SHA-256 and only then renames it to NAME, so nothing half-written ever carries the final name.
/// </summary>
public sealed class FileDownloader(HttpClient http, int maxAttempts = FileDownloader.DefaultMaxAttempts)
{
    /// <summary>Transfers tried per file (the first plus resumes). Default 5.</summary>
    public const int DefaultMaxAttempts = 5;

    /// <summary>Suffix of the file that collects bytes until they are verified.</summary>
    public const string PartSuffix = ".part";

    private const int BufferSize = 1 << 16;

    /// <summary>
    /// Makes <paramref name="destination"/> hold the file at <paramref name="url"/> with SHA-256
    /// <paramref name="expected"/>.<see cref="RemoteFile.Sha256"/>; an existing verified file is kept as is.
    /// </summary>
    /// <exception cref="ChecksumMismatchException">The bytes have another hash; the partial file is deleted.</exception>
    /// <exception cref="DownloadException">The server refused, or every attempt broke off.</exception>
    public async Task<DownloadOutcome> DownloadAsync(
        Uri url, string destination, RemoteFile expected, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var name = Path.GetFileName(destination);
        if (File.Exists(destination))
        {
            progress?.Report(new(name, 0, expected.Size, DownloadStage.Verifying));
            if (await Sha256Async(destination, ct) == expected.Sha256)
            {
                progress?.Report(new(name, expected.Size, expected.Size, DownloadStage.Done));
                return DownloadOutcome.AlreadyPresent;
            }
            // A wrong file under the final name is replaced, but only once a verified copy exists.
        }

        var part = destination + PartSuffix;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(url, part, name, expected.Size, progress, ct);
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && attempt < maxAttempts && !ct.IsCancellationRequested)
            {
                // Transient: the next attempt resumes from what the .part file holds.
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                throw new DownloadException(destination, $"download of {url} failed after {maxAttempts} attempts: {e.Message}", e);
            }
        }

        progress?.Report(new(name, expected.Size, expected.Size, DownloadStage.Verifying));
        var actual = await Sha256Async(part, ct);
        if (actual != expected.Sha256)
        {
            File.Delete(part);
            throw new ChecksumMismatchException(destination, expected.Sha256, actual);
        }
        File.Move(part, destination, overwrite: true);
        progress?.Report(new(name, expected.Size, expected.Size, DownloadStage.Done));
        return DownloadOutcome.Downloaded;
    }

    private async Task TransferAsync(
        Uri url, string part, string name, long expectedSize, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var existing = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0) request.Headers.Range = new RangeHeaderValue(existing, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The .part already holds the whole file (total = its length), or is longer than it: start over.
            if (response.Content.Headers.ContentRange?.Length == existing) return;
            File.Delete(part);
            throw new IOException($"server rejected the range {existing}- of {url}; restarting");
        }
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new DownloadException(part[..^PartSuffix.Length], $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        response.EnsureSuccessStatusCode();

        // 206 from our offset: append. Anything else (200) means the server ignored Range: restart cleanly.
        var range = response.Content.Headers.ContentRange;
        var resume = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent && range?.From == existing;
        var done = resume ? existing : 0;
        long? total = range?.Length ?? (response.Content.Headers.ContentLength + done) ?? (expectedSize > 0 ? expectedSize : null);

        await using var file = new FileStream(part, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[BufferSize];
        progress?.Report(new(name, done, total, DownloadStage.Transferring));
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            done += read;
            progress?.Report(new(name, done, total, DownloadStage.Transferring));
        }
        if (total is { } whole && done != whole)
            throw new IOException($"connection closed after {done} of {whole} bytes");
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}

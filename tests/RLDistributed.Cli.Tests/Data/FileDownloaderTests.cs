using RLDistributed.Cli.Data;

namespace RLDistributed.Cli.Tests.Data;

public sealed class FileDownloaderTests : IDisposable
{
    private const string Name = "train-images-idx3-ubyte.gz";
    private readonly LoopbackFileServer _server = new();
    private readonly HttpClient _http = new();
    private readonly string _dir = TestFiles.NewDirectory();
    private readonly byte[] _content = TestFiles.Bytes(1_000_000, seed: 1);

    public FileDownloaderTests() => _server.Add(Name, _content);

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Destination => Path.Combine(_dir, Name);

    private Uri Url => new(_server.BaseAddress, Name);

    private Task<DownloadOutcome> DownloadAsync(RemoteFile? expected = null) =>
        new FileDownloader(_http).DownloadAsync(Url, Destination, expected ?? TestFiles.Describe(Name, _content), null, CancellationToken.None);

    [Fact]
    public async Task DownloadAsync_FullDownload_VerifiedFileInPlace()
    {
        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.Downloaded, outcome);
        Assert.Equal(_content, await File.ReadAllBytesAsync(Destination));
        Assert.False(File.Exists(Destination + FileDownloader.PartSuffix));
        Assert.Null(Assert.Single(_server.Requests).Range);
    }

    [Fact]
    public async Task DownloadAsync_ConnectionCutMidway_ResumesWithRange()
    {
        _server.CutRequests = 1;

        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.Downloaded, outcome);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Null(_server.Requests[0].Range);
        var range = _server.Requests[1].Range;
        Assert.NotNull(range);
        Assert.Matches(@"^bytes=[1-9]\d*-$", range);
        Assert.Equal(TestFiles.Sha256(_content), TestFiles.Sha256(await File.ReadAllBytesAsync(Destination)));
    }

    [Fact]
    public async Task DownloadAsync_PartialFileFromEarlierRun_ResumesFromItsLength()
    {
        await File.WriteAllBytesAsync(Destination + FileDownloader.PartSuffix, _content[..300_000]);

        await DownloadAsync();

        Assert.Equal("bytes=300000-", Assert.Single(_server.Requests).Range);
        Assert.Equal(_content, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task DownloadAsync_WrongHash_ThrowsNamingFileAndLeavesNoFile()
    {
        var expected = new RemoteFile(Name, _content.Length, new string('0', 64));

        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() => DownloadAsync(expected));

        Assert.Equal(Destination, error.FilePath);
        Assert.Contains(Destination, error.Message);
        Assert.Contains(new string('0', 64), error.Message);
        Assert.Contains(TestFiles.Sha256(_content), error.Message);
        Assert.False(File.Exists(Destination));
        Assert.False(File.Exists(Destination + FileDownloader.PartSuffix));
    }

    [Fact]
    public async Task DownloadAsync_ServerIgnoresRange_RestartsCleanly()
    {
        _server.SupportsRange = false;
        _server.CutRequests = 1;

        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.Downloaded, outcome);
        Assert.Equal(2, _server.Requests.Count);
        Assert.NotNull(_server.Requests[1].Range); // asked to resume, got 200 and the whole file
        Assert.Equal(_content, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task DownloadAsync_VerifiedFileAlreadyThere_SkipsWithoutRequest()
    {
        await File.WriteAllBytesAsync(Destination, _content);

        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.AlreadyPresent, outcome);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task DownloadAsync_CorruptFileUnderFinalName_Replaced()
    {
        await File.WriteAllBytesAsync(Destination, [1, 2, 3]);

        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.Downloaded, outcome);
        Assert.Equal(_content, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task DownloadAsync_PartAlreadyWhole_CompletesOn416()
    {
        await File.WriteAllBytesAsync(Destination + FileDownloader.PartSuffix, _content);

        var outcome = await DownloadAsync();

        Assert.Equal(DownloadOutcome.Downloaded, outcome);
        Assert.Equal(_content, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task DownloadAsync_EveryAttemptCut_FailsNamingFileWithoutFinalFile()
    {
        _server.CutRequests = 100;

        var error = await Assert.ThrowsAsync<DownloadException>(() => DownloadAsync());

        Assert.Equal(Destination, error.FilePath);
        Assert.Contains($"after {FileDownloader.DefaultMaxAttempts} attempts", error.Message);
        Assert.Equal(FileDownloader.DefaultMaxAttempts, _server.Requests.Count);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task DownloadAsync_NotFound_ThrowsNamingUrlWithoutRetry()
    {
        var missing = new Uri(_server.BaseAddress, "absent.gz");

        var error = await Assert.ThrowsAsync<DownloadException>(() => new FileDownloader(_http)
            .DownloadAsync(missing, Path.Combine(_dir, "absent.gz"), new RemoteFile("absent.gz", 1, new string('0', 64)), null, CancellationToken.None));

        Assert.Contains("404", error.Message);
        Assert.Contains(missing.AbsoluteUri, error.Message);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task DownloadAsync_WithProgress_ReportsDoneAtFullSize()
    {
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress(reports.Add);

        await new FileDownloader(_http).DownloadAsync(Url, Destination, TestFiles.Describe(Name, _content), progress, CancellationToken.None);

        var last = reports[^1];
        Assert.Equal(DownloadStage.Done, last.Stage);
        Assert.Equal(_content.Length, last.BytesDone);
        Assert.Contains(reports, r => r.Stage == DownloadStage.Transferring && r.BytesTotal == _content.Length);
    }

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}

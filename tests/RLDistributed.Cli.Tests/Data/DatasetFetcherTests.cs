using System.Formats.Tar;
using System.IO.Compression;
using RLDistributed.Cli.Data;
using RLDistributed.Core.Data;

namespace RLDistributed.Cli.Tests.Data;

public sealed class DatasetFetcherTests : IDisposable
{
    private readonly LoopbackFileServer _server = new();
    private readonly HttpClient _http = new();
    private readonly string _dir = TestFiles.NewDirectory();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A miniature cifar-10-binary.tar.gz: two records per batch under cifar-10-batches-bin/.</summary>
    private static byte[] CifarArchive()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var name in CifarReader.TrainingFiles.Append(CifarReader.TestFile))
            {
                var records = TestFiles.Bytes(2 * CifarReader.RecordBytes, seed: name.Length);
                records[0] = 3;
                records[CifarReader.RecordBytes] = 7;
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/" + name) { DataStream = new MemoryStream(records) });
            }
        }
        return output.ToArray();
    }

    private DatasetSource Source(string name, byte[] content, bool extract) =>
        new("test", new Uri("http://203.0.113.1/unused/"), [TestFiles.Describe(name, content)], extract);

    [Fact]
    public async Task FetchAsync_TarGzSource_ExtractsSoCifarReaderOpensDirectory()
    {
        var archive = CifarArchive();
        _server.Add("cifar-10-binary.tar.gz", archive);
        var fetcher = new DatasetFetcher(_http, new Uri(_server.BaseAddress, "mirror/cifar/"));

        await fetcher.FetchAsync(Source("cifar-10-binary.tar.gz", archive, extract: true), _dir, null, CancellationToken.None);

        var data = CifarReader.ReadDirectory(_dir);
        Assert.Equal(10, data.Count);
        Assert.Equal((byte)7, data.Labels![1]);
        Assert.Equal("/mirror/cifar/cifar-10-binary.tar.gz", Assert.Single(_server.Requests).Path);
    }

    [Fact]
    public async Task FetchAsync_SecondRun_SkipsVerifiedFilesAndExtraction()
    {
        var archive = CifarArchive();
        _server.Add("cifar-10-binary.tar.gz", archive);
        var fetcher = new DatasetFetcher(_http, _server.BaseAddress);
        var source = Source("cifar-10-binary.tar.gz", archive, extract: true);
        await fetcher.FetchAsync(source, _dir, null, CancellationToken.None);

        var outcomes = await fetcher.FetchAsync(source, _dir, null, CancellationToken.None);

        Assert.Equal([DownloadOutcome.AlreadyPresent], outcomes);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task FetchAsync_BaseAddressWithoutTrailingSlash_FetchesUnderIt()
    {
        var content = TestFiles.Bytes(1000, seed: 3);
        _server.Add("t10k-labels-idx1-ubyte.gz", content);
        var fetcher = new DatasetFetcher(_http, new Uri(_server.BaseAddress, "mnist"));

        await fetcher.FetchAsync(Source("t10k-labels-idx1-ubyte.gz", content, extract: false), _dir, null, CancellationToken.None);

        Assert.Equal("/mnist/t10k-labels-idx1-ubyte.gz", Assert.Single(_server.Requests).Path);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz")));
    }
}

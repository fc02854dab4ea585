using RLDistributed.Cli.Hosting;
using RLDistributed.Cli.Tests.Data;

namespace RLDistributed.Cli.Tests.Commands;

public sealed class DataCommandTests
{
    [Fact]
    public async Task RunAsync_UnknownDataSet_ReturnsUsage()
    {
        Assert.Equal(ExitCodes.Usage, await RldApp.RunAsync(["data", "fetch", "imagenet", "--to", Path.GetTempPath()]));
    }

    [Fact]
    public async Task RunAsync_SourceNotHttp_ReturnsUsage()
    {
        Assert.Equal(ExitCodes.Usage, await RldApp.RunAsync(["data", "fetch", "mnist", "--to", Path.GetTempPath(), "--source", "ftp://mirror/"]));
    }

    [Fact]
    public async Task RunAsync_MirrorServesWrongBytes_ReturnsFailureAndLeavesNoFile()
    {
        using var server = new LoopbackFileServer();
        server.Add("train-images-idx3-ubyte.gz", [1, 2, 3]);
        var dir = TestFiles.NewDirectory();
        try
        {
            var code = await RldApp.RunAsync(["data", "fetch", "mnist", "--to", dir, "--source", server.BaseAddress.AbsoluteUri]);

            Assert.Equal(ExitCodes.Failure, code);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

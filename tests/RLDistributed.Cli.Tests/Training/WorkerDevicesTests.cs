using RLDistributed.Cli.Training;

namespace RLDistributed.Cli.Tests.Training;

public sealed class WorkerDevicesTests
{
    [Fact]
    public void Assign_Cpu_EveryWorkerOnTheCpu()
    {
        Assert.Equal(["cpu", "cpu", "cpu"], WorkerDevices.Assign("cpu", 3, cudaDevices: 2));
    }

    [Fact]
    public void Assign_CudaWithoutIndex_SpreadsWorkersOverTheGpusInTurn()
    {
        Assert.Equal(["cuda:0", "cuda:1", "cuda:0", "cuda:1", "cuda:0"], WorkerDevices.Assign("cuda", 5, cudaDevices: 2));
        Assert.Equal(["cuda:0", "cuda:0"], WorkerDevices.Assign("CUDA", 2, cudaDevices: 1));
    }

    [Fact]
    public void Assign_CudaWithIndex_EveryWorkerOnThatGpu()
    {
        Assert.Equal(["cuda:2", "cuda:2"], WorkerDevices.Assign("cuda:2", 2, cudaDevices: 4));
    }

    [Theory]
    [InlineData("cuda", 0, "no CUDA device is available")]
    [InlineData("cuda:1", 0, "no CUDA device is available")]
    [InlineData("cuda:3", 2, "names GPU 3, but this machine has 2 (0 .. 1)")]
    [InlineData("cuda:-1", 2, "is not a device")]
    [InlineData("cuda:x", 2, "is not a device")]
    [InlineData("tpu", 2, "is not a device")]
    public void Assign_BadDevice_SaysWhy(string device, int gpus, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerDevices.Assign(device, 2, gpus));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

namespace RLDistributed.Cli.Training;

/// <summary>
/// Which torch device each worker of a local cluster trains on. <c>cuda</c> without an index spreads the
/// workers over the machine's GPUs (worker i on GPU i mod count), as one process per GPU is what a
/// multi-GPU machine is for; <c>cuda:k</c> puts every worker on GPU k; <c>cpu</c> keeps them all on the CPU.
/// </summary>
public static class WorkerDevices
{
    /// <summary>The device argument for each of <paramref name="workers"/> workers.</summary>
    /// <param name="device">cpu, cuda or cuda:k, as --device takes it.</param>
    /// <param name="workers">Worker count, at least 1.</param>
    /// <param name="cudaDevices">GPUs this machine has (0 on a CPU build).</param>
    /// <exception cref="ArgumentException">CUDA asked for with no GPU, an index past the last GPU, or not a device.</exception>
    public static IReadOnlyList<string> Assign(string device, int workers, int cudaDevices)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDevices);
        var name = device.Trim().ToLowerInvariant();
        if (name == "cpu") return Enumerable.Repeat("cpu", workers).ToArray();
        if (name != "cuda" && !name.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"'{device}' is not a device; use cpu or cuda[:index]");
        if (cudaDevices == 0)
            throw new ArgumentException($"'{device}' asked for CUDA but no CUDA device is available (this build uses the CPU libtorch)");
        if (name == "cuda") return Enumerable.Range(0, workers).Select(i => $"cuda:{i % cudaDevices}").ToArray();
        if (!int.TryParse(name.AsSpan("cuda:".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            throw new ArgumentException($"'{device}' is not a device; use cpu or cuda[:index]");
        if (index >= cudaDevices)
            throw new ArgumentException($"'{device}' names GPU {index}, but this machine has {cudaDevices} (0 .. {cudaDevices - 1})");
        return Enumerable.Repeat($"cuda:{index}", workers).ToArray();
    }
}

using static TorchSharp.torch;

namespace RLDistributed.Cli.Hosting;

/// <summary>Turns --device and --threads into torch settings, with usage errors that name the option.</summary>
public static class TorchSetup
{
    /// <summary>Sets the thread count and returns the device.</summary>
    public static Device Configure(string deviceName, int? threads)
    {
        if (threads is { } n) set_num_threads(n);
        Device device;
        try
        {
            device = new Device(deviceName);
        }
        catch (ArgumentException)
        {
            throw new CliUsageException("--device", $"'{deviceName}' is not a device; use cpu or cuda[:index]");
        }
        if (device.type == TorchSharp.DeviceType.CUDA && !cuda.is_available())
            throw new CliUsageException("--device", $"'{deviceName}' asked for CUDA but no CUDA device is available (this build uses the CPU libtorch)");
        return device;
    }

    /// <summary>
    /// The device of each of <paramref name="workers"/> local workers (<see cref="Training.WorkerDevices"/>), checked
    /// here before any process starts; null for the CPU, where the workers' own default applies.
    /// </summary>
    public static IReadOnlyList<string>? WorkerDevices(string deviceName, int workers)
    {
        var cpu = deviceName.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase);
        try
        {
            var gpus = cpu || !cuda.is_available() ? 0 : cuda.device_count();
            return cpu ? null : Training.WorkerDevices.Assign(deviceName, workers, gpus);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--device", e.Message);
        }
    }
}

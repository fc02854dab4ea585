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
}

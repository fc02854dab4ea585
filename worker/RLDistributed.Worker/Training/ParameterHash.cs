using System.Security.Cryptography;
using RLDistributed.Core.Energy;

namespace RLDistributed.Worker.Training;

/// <summary>SHA-256 over every state tensor (parameters and buffers, in state-dict order): equal on all ranks, or the run has diverged.</summary>
public static class ParameterHash
{
    /// <summary>Hashes the network's state.</summary>
    public static byte[] Of(EnergyNetwork network)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in network.state_dict())
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var cpu = tensor.cpu();
            hash.AppendData(cpu.contiguous().bytes);
        }
        return hash.GetHashAndReset();
    }
}

using static TorchSharp.torch;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>The float32 tensors of a state dict read from a torch.save file, on the CPU; disposing disposes them.</summary>
public sealed class StateDict : IDisposable
{
    internal StateDict(string filePath, IReadOnlyDictionary<string, Tensor> tensors)
    {
        FilePath = filePath;
        Tensors = tensors;
    }

    /// <summary>The file it was read from.</summary>
    public string FilePath { get; }

    /// <summary>The tensors by state-dict key (e.g. "Conv2d_1a_3x3.conv.weight"), contiguous.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}

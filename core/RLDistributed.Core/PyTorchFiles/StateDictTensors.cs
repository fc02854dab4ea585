using System.Collections;
using static TorchSharp.torch;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// Turns an unpickled state dict into tensors: every wanted entry is checked first (a float32 tensor whose view lies
/// inside its storage, a storage the file holds in full), then each storage is read once and the tensors are copied
/// out of it.
/// </summary>
internal static class StateDictTensors
{
    /// <summary>The most dimensions a tensor may declare (PyTorch's own limit is 64).</summary>
    private const int MaxRank = 64;

    /// <summary>The tensors of the entries of <paramref name="root"/> whose keys <paramref name="include"/> accepts.</summary>
    /// <exception cref="InvalidDataException">the object is no state dict, or a wanted entry is not a float32 tensor that its storage holds.</exception>
    public static StateDict Build(object root, Func<string, bool> include, IStorageSource source, string path)
    {
        if (root is not Hashtable entries)
            throw new InvalidDataException($"the file holds a {PickleValues.Describe(root)}, not a state dict (a file written by torch.save(model.state_dict(), path))");
        var wanted = new SortedDictionary<string, PickledTensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in entries)
        {
            var key = entry.Key as string ?? throw new InvalidDataException($"a state-dict key that is {PickleValues.Describe(entry.Key)}, not a string");
            if (!include(key)) continue;
            var tensor = entry.Value as PickledTensor ?? throw new InvalidDataException($"{key} is {PickleValues.Describe(entry.Value)}, not a tensor");
            Check(key, tensor);
            source.CheckLength(tensor.Storage, tensor.Storage.ElementCount * sizeof(float));
            wanted.Add(key, tensor);
        }

        using var scope = NewDisposeScope();
        var storages = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, pickled) in wanted)
        {
            if (!storages.TryGetValue(pickled.Storage.Key, out var storage))
            {
                storage = empty(pickled.Storage.ElementCount, dtype: ScalarType.Float32);
                source.Read(pickled.Storage, storage.bytes);
                storages.Add(pickled.Storage.Key, storage);
            }
            var tensor = empty(pickled.Shape, dtype: ScalarType.Float32);
            tensor.copy_(storage.as_strided(pickled.Shape, pickled.Stride, pickled.Offset));
            tensors.Add(key, tensor.MoveToOuterDisposeScope());
        }
        return new StateDict(path, tensors);
    }

    /// <summary>A float32 storage of a size a span can hold, and a view that stays inside it and is no larger than it.</summary>
    private static void Check(string key, PickledTensor tensor)
    {
        var storage = tensor.Storage;
        if (storage.StorageType != StorageTypes.Float32)
            throw new InvalidDataException($"{key} is stored as {storage.StorageType}; only float32 tensors ({StorageTypes.Float32}) are read");
        if (storage.ElementCount > Array.MaxLength / sizeof(float))
            throw new InvalidDataException($"{key}: a storage of {storage.ElementCount} elements is larger than this reader supports");
        if (tensor.Shape.Length > MaxRank || tensor.Stride.Length != tensor.Shape.Length)
            throw new InvalidDataException($"{key}: size [{string.Join(", ", tensor.Shape)}] with stride [{string.Join(", ", tensor.Stride)}]");
        if (tensor.Offset < 0 || tensor.Shape.Any(d => d < 0) || tensor.Stride.Any(s => s < 0))
            throw new InvalidDataException($"{key}: negative offset, size or stride");
        if (tensor.Shape.Contains(0)) return;
        try
        {
            long elements = 1, last = tensor.Offset;
            for (var d = 0; d < tensor.Shape.Length; d++)
            {
                elements = checked(elements * tensor.Shape[d]);
                last = checked(last + (tensor.Shape[d] - 1) * tensor.Stride[d]);
            }
            // A view with more elements than its storage repeats some of them; a state dict never holds one, and
            // its declared size could be anything.
            if (last >= storage.ElementCount || elements > storage.ElementCount)
                throw new InvalidDataException($"{key}: the view (offset {tensor.Offset}, size [{string.Join(", ", tensor.Shape)}], stride [{string.Join(", ", tensor.Stride)}]) does not fit its storage of {storage.ElementCount} elements");
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{key}: a view whose extent overflows 64 bits");
        }
    }
}

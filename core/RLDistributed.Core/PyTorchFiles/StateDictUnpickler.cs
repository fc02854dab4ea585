using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// Unpickles the object of a torch.save file. Storages come back as <see cref="StorageReference"/>s (collected in
/// <see cref="Storages"/>), tensors as <see cref="PickledTensor"/>s and OrderedDicts as hash tables: nothing is read
/// beyond the pickle, and no class named by the file is instantiated; other globals become inert ClassDicts.
/// </summary>
internal sealed class StateDictUnpickler : Unpickler
{
    static StateDictUnpickler()
    {
        // Razorvine keeps its constructors in one process-wide table. These are registered once, before the first
        // unpickler of this kind exists, and keep no state: each call only describes what the pickle says.
        registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
        registerConstructor("torch._utils", "_rebuild_tensor_v2", new TensorRebuildConstructor());
        registerConstructor("torch._utils", "_rebuild_tensor", new TensorRebuildConstructor());
    }

    private readonly Dictionary<string, StorageReference> _storages = new(StringComparer.Ordinal);

    /// <summary>The storages the pickle named so far, by key.</summary>
    public IReadOnlyDictionary<string, StorageReference> Storages => _storages;

    /// <summary>Unpickles one complete pickle.</summary>
    /// <exception cref="InvalidDataException">the pickle names something other than storages in its persistent ids.</exception>
    /// <exception cref="PickleException">the pickle is malformed (or truncated: then an index or argument exception).</exception>
    public object Unpickle(byte[] pickle) => loads(pickle);

    /// <inheritdoc />
    protected override object persistentLoad(object pid)
    {
        if (pid is not object[] { Length: 5 or 6 } id || id[0] is not "storage")
            throw new InvalidDataException($"a persistent id that is not ('storage', type, key, location, size): {PickleValues.Describe(pid)}");
        var type = id[1] is ClassDictConstructor { module: "torch" } storageClass
            ? storageClass.name
            : throw new InvalidDataException($"a storage whose type is {PickleValues.Describe(id[1])}, not a torch storage class");
        var key = id[2] as string ?? throw new InvalidDataException($"a storage whose key is {PickleValues.Describe(id[2])}, not a string");
        var count = PickleValues.Integer(id[4], $"the size of storage {key}");
        if (count < 0) throw new InvalidDataException($"storage {key} declares {count} elements");
        // Storage views (a sixth item that is not None) were written only by PyTorch before 0.4.
        if (id.Length == 6 && id[5] is not null) throw new InvalidDataException($"storage {key} is a view of another storage (PyTorch before 0.4), which this reader does not read");

        var storage = new StorageReference(key, type, count);
        if (_storages.TryGetValue(key, out var seen))
        {
            return seen == storage ? seen : throw new InvalidDataException($"storage {key} is declared twice, as {seen.StorageType}[{seen.ElementCount}] and {type}[{count}]");
        }
        _storages.Add(key, storage);
        return storage;
    }
}

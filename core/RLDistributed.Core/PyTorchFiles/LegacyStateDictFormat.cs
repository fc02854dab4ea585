using System.Buffers.Binary;
using System.Collections;
using System.Numerics;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// torch.save's legacy format (the default before PyTorch 1.6; <c>_use_new_zipfile_serialization=False</c> after):
/// five pickles back to back (a magic number, the format's protocol version 1001, system information, the object
/// with its storages as persistent ids, and the list of storage keys), then for each key in that order the
/// storage's element count as a little-endian int64 and its raw little-endian bytes.
/// </summary>
internal static class LegacyStateDictFormat
{
    /// <summary>torch.serialization.MAGIC_NUMBER, 0x1950a86a20f9469cfc6c.</summary>
    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356");

    private const long ProtocolVersion = 1001;

    /// <summary>Reads the state dict whose file's bytes are <paramref name="file"/>.</summary>
    public static StateDict Read(byte[] file, string path, Func<string, bool> include)
    {
        var position = 0;
        // Each pickle gets an unpickler of its own, as torch.load gives it: none can refer to another's memo.
        object NextPickle(StateDictUnpickler unpickler)
        {
            var end = PickleExtent.EndOf(file, position);
            var value = unpickler.Unpickle(file[position..end]);
            position = end;
            return value;
        }

        if (NextPickle(new StateDictUnpickler()) is not BigInteger magic || magic != MagicNumber)
            throw new InvalidDataException("not a torch.save file (it starts with a pickle, but not with PyTorch's magic number)");
        var protocol = PickleValues.Integer(NextPickle(new StateDictUnpickler()), "the protocol version");
        if (protocol != ProtocolVersion) throw new InvalidDataException($"legacy protocol version {protocol}; this reader reads {ProtocolVersion}");
        if (NextPickle(new StateDictUnpickler()) is not Hashtable systemInfo || systemInfo["little_endian"] is not true)
            throw new InvalidDataException("the tensors were not saved little-endian");
        var objectUnpickler = new StateDictUnpickler();
        var root = NextPickle(objectUnpickler);
        var keys = NextPickle(new StateDictUnpickler()) as IList ?? throw new InvalidDataException("no list of storage keys after the object");

        var places = new Dictionary<string, (int Offset, int Length)>(StringComparer.Ordinal);
        foreach (var item in keys)
        {
            var key = item as string ?? throw new InvalidDataException($"a storage key that is {PickleValues.Describe(item)}, not a string");
            if (!objectUnpickler.Storages.TryGetValue(key, out var storage)) throw new InvalidDataException($"storage {key} is stored but no tensor names it");
            var elementSize = StorageTypes.ElementSize(storage.StorageType)
                ?? throw new InvalidDataException($"storage {key} is a {storage.StorageType}, whose element size this reader does not know");
            if (file.Length - position < sizeof(long)) throw new InvalidDataException($"the file ends before storage {key} (truncated)");
            var count = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(position));
            if (count != storage.ElementCount) throw new InvalidDataException($"storage {key} holds {count} elements; the pickle declares {storage.ElementCount}");
            position += sizeof(long);
            var remaining = file.Length - position;
            if (count > remaining / elementSize)
                throw new InvalidDataException($"storage {key} declares {count} elements of {elementSize} bytes but only {remaining} bytes remain (truncated or corrupt)");
            var length = (int)(count * elementSize);
            if (!places.TryAdd(key, (position, length))) throw new InvalidDataException($"storage {key} is stored twice");
            position += length;
        }
        if (position != file.Length) throw new InvalidDataException($"{file.Length - position} bytes after the last storage");
        return StateDictTensors.Build(root, include, new LegacyStorageSource(file, places), path);
    }
}

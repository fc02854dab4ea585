namespace RLDistributed.Core.PyTorchFiles;

/// <summary>The storages of the legacy format, at the places <see cref="LegacyStateDictFormat"/> found them in the file's bytes.</summary>
internal sealed class LegacyStorageSource(byte[] file, IReadOnlyDictionary<string, (int Offset, int Length)> places) : IStorageSource
{
    /// <inheritdoc />
    public void CheckLength(StorageReference storage, long bytes)
    {
        if (!places.TryGetValue(storage.Key, out var place))
            throw new InvalidDataException($"storage {storage.Key} is named by the pickle but not stored in the file");
        if (place.Length != bytes)
            throw new InvalidDataException($"storage {storage.Key} holds {place.Length} bytes; the pickle declares {bytes}");
    }

    /// <inheritdoc />
    public void Read(StorageReference storage, Span<byte> destination)
    {
        var (offset, length) = places[storage.Key];
        file.AsSpan(offset, length).CopyTo(destination);
    }
}

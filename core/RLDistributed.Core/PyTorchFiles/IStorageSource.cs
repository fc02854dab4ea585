namespace RLDistributed.Core.PyTorchFiles;

/// <summary>Where a torch.save format keeps the bytes of its storages.</summary>
internal interface IStorageSource
{
    /// <summary>Checks, before anything is allocated for it, that the file holds exactly <paramref name="bytes"/> bytes for <paramref name="storage"/>.</summary>
    /// <exception cref="InvalidDataException">it holds another number of bytes, or none.</exception>
    void CheckLength(StorageReference storage, long bytes);

    /// <summary>Fills <paramref name="destination"/> (of the checked length) with the storage's bytes.</summary>
    void Read(StorageReference storage, Span<byte> destination);
}

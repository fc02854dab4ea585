using System.IO.Compression;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>The storages of the zip format: entry <c>&lt;folder&gt;data/&lt;key&gt;</c> holds storage <c>key</c>'s bytes.</summary>
internal sealed class ZipStorageSource(ZipArchive archive, string folder, long fileLength) : IStorageSource
{
    /// <inheritdoc />
    public void CheckLength(StorageReference storage, long bytes)
    {
        var entry = Entry(storage);
        if (entry.Length != bytes || bytes > fileLength)
            throw new InvalidDataException($"storage {storage.Key} holds {entry.Length} bytes (in a file of {fileLength}); the pickle declares {storage.ElementCount} elements, {bytes} bytes");
    }

    /// <inheritdoc />
    public void Read(StorageReference storage, Span<byte> destination)
    {
        using var stream = Entry(storage).Open();
        stream.ReadExactly(destination);
    }

    private ZipArchiveEntry Entry(StorageReference storage) => archive.GetEntry($"{folder}data/{storage.Key}")
        ?? throw new InvalidDataException($"storage {storage.Key} is named by the pickle but missing from the archive");
}

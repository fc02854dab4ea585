using System.IO.Compression;
using System.Text;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// torch.save's zip format (PyTorch 1.6 and later): one top folder (named after the file when it was saved) holding
/// <c>data.pkl</c>, the pickled object, and <c>data/&lt;key&gt;</c>, the raw little-endian bytes of each storage.
/// Declared entry sizes are checked against the file's length before anything is allocated for them.
/// </summary>
internal static class ZipStateDictFormat
{
    private const string PickleName = "data.pkl";

    /// <summary>Reads the state dict in <paramref name="file"/> (seekable, positioned anywhere).</summary>
    public static StateDict Read(Stream file, string path, Func<string, bool> include)
    {
        using var archive = Open(file);
        var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal)
            && e.FullName.IndexOf('/') == e.FullName.Length - PickleName.Length - 1).ToList();
        if (pickles.Count != 1)
            throw new InvalidDataException($"a zip archive with {pickles.Count} top-level {PickleName} entries; torch.save writes one");
        var folder = pickles[0].FullName[..^PickleName.Length];
        if (archive.GetEntry(folder + "byteorder") is { } byteOrder && Encoding.ASCII.GetString(ReadAll(byteOrder, file.Length)) != "little")
            throw new InvalidDataException("the tensors were saved big-endian");

        var unpickler = new StateDictUnpickler();
        var root = unpickler.Unpickle(ReadAll(pickles[0], file.Length));
        return StateDictTensors.Build(root, include, new ZipStorageSource(archive, folder, file.Length), path);
    }

    private static ZipArchive Open(Stream file)
    {
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"truncated, or not a zip archive ({e.Message})", e);
        }
    }

    /// <summary>An entry's bytes, once its declared size is known not to exceed the whole file's.</summary>
    private static byte[] ReadAll(ZipArchiveEntry entry, long fileLength)
    {
        if (entry.Length > fileLength)
            throw new InvalidDataException($"{entry.FullName} declares {entry.Length} bytes in a file of {fileLength}");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }
}

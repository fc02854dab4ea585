namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// Reads the float32 tensors of a file written by <c>torch.save(model.state_dict(), path)</c>, in either of its
/// formats: the zip format (PyTorch 1.6 and later) or the legacy one (earlier, or
/// <c>_use_new_zipfile_serialization=False</c>). The pickle is read by Razorvine.Pickle with only storages, tensors
/// and OrderedDicts understood, so the file cannot make anything run; every size it declares is checked against the
/// file's length before anything is allocated for it.
/// </summary>
public static class StateDictFile
{
    /// <summary>Reads the entries of the state dict in <paramref name="path"/> whose keys <paramref name="include"/> accepts (default: all).</summary>
    /// <exception cref="PyTorchFileException">the file is missing, truncated or malformed, is not a state dict, or a wanted entry is not a float32 tensor.</exception>
    public static StateDict Read(string path, Func<string, bool>? include = null)
    {
        include ??= _ => true;
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            var headLength = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (headLength == 4 && head.SequenceEqual("PK\x03\x04"u8))
            {
                return ZipStateDictFormat.Read(file, path, include);
            }
            if (headLength > 0 && head[0] == 0x80)
            {
                if (file.Length > Array.MaxLength) throw new InvalidDataException($"a legacy-format file of {file.Length} bytes is larger than this reader supports");
                var bytes = new byte[file.Length];
                file.Position = 0;
                file.ReadExactly(bytes);
                return LegacyStateDictFormat.Read(bytes, path, include);
            }
            throw new InvalidDataException("neither of torch.save's formats (a zip archive, or the legacy pickles)");
        }
        catch (InvalidDataException e)
        {
            throw new PyTorchFileException(path, e.Message, e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new PyTorchFileException(path, $"cannot be read ({e.Message})", e);
        }
        catch (Exception e) when (e is not (PyTorchFileException or OutOfMemoryException or OperationCanceledException))
        {
            // The unpickler meets a malformed or cut pickle with its own PickleException, or with index, cast and
            // argument exceptions from the middle of an opcode: either way the file is at fault.
            throw new PyTorchFileException(path, $"truncated or corrupt ({e.GetType().Name}: {e.Message})", e);
        }
    }
}

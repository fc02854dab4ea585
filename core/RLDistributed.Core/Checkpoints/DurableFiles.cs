using System.Runtime.InteropServices;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// fsync for files and directories. A rename is durable only once the directory holding it has been synced;
/// .NET cannot open a directory, so that one call goes to libc (a no-op where there is no libc, e.g. Windows).
/// </summary>
internal static partial class DurableFiles
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> and syncs it to disk.</summary>
    public static void WriteSynced(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Syncs a directory's entries (after creating or renaming something in it).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0) throw new IOException($"{directory}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{directory}: fsync failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // O_RDONLY | O_DIRECTORY on Linux x64/arm64.
    private const int ReadOnlyDirectory = 0x10000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

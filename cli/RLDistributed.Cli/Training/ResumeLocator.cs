using RLDistributed.Core.Checkpoints;

namespace RLDistributed.Cli.Training;

/// <summary>
/// Finds the checkpoint <c>--resume [DIR]</c> means: DIR may be one checkpoint or a directory of them. A
/// checkpoint that does not verify is skipped for the newest one that does, and every skip is reported with
/// its reason.
/// </summary>
public static class ResumeLocator
{
    /// <summary>The checkpoint to resume from, and the ones skipped on the way.</summary>
    public static CheckpointSearch Locate(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(Path.Combine(full, CheckpointFiles.Manifest)) || CheckpointFiles.StepOf(Path.GetFileName(full)) is not null)
        {
            try
            {
                return new CheckpointSearch(CheckpointVerifier.Verify(full), []);
            }
            catch (CheckpointException e)
            {
                var fallback = new CheckpointStore(Path.GetDirectoryName(full)!).FindLatestValid();
                return fallback with { Skipped = [e, .. fallback.Skipped.Where(s => !SameDirectory(s.FilePath, full))] };
            }
        }
        return new CheckpointStore(full).FindLatestValid();
    }

    /// <summary>The root that holds <paramref name="checkpoint"/> (its parent directory).</summary>
    public static string RootOf(VerifiedCheckpoint checkpoint) => Path.GetDirectoryName(Path.GetFullPath(checkpoint.Directory))!;

    private static bool SameDirectory(string file, string directory) =>
        Path.GetFullPath(file).StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetFullPath(file) == directory;
}

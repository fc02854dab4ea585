using System.Security.Cryptography;
using System.Text.Json;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// A directory of checkpoints, one subdirectory per step. A save writes <c>step-N.tmp/</c>, syncs every file,
/// writes manifest.json (sizes and SHA-256 of the rest) last, renames the directory, syncs the root, then
/// switches <c>latest</c> by writing <c>latest.tmp</c> and renaming it; a crash at any moment leaves the
/// previous checkpoints and <c>latest</c> intact. The newest <c>keep</c> checkpoints are kept.
/// </summary>
public sealed class CheckpointStore(string root, int keep = 3)
{
    /// <summary>The directory holding the checkpoints.</summary>
    public string Root { get; } = root;

    /// <summary>Writes a checkpoint and returns its directory. Safe to call from a background thread.</summary>
    public string Save(CheckpointContent content)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "at least one checkpoint must be kept");
        Directory.CreateDirectory(Root);
        var name = CheckpointFiles.DirectoryName(content.Snapshot.NextStep);
        var final = Path.Combine(Root, name);
        var temporary = final + CheckpointFiles.TemporarySuffix;
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);

        var entries = new List<CheckpointFileEntry>
        {
            WriteFile(temporary, CheckpointFiles.Model, s => JsonSerializer.Serialize(s, content.Model with { Format = ModelManifest.CurrentFormat, Step = content.Snapshot.NextStep }, ModelStore.Json)),
            WriteFile(temporary, CheckpointFiles.Energy, s => TensorFile.Write(s, content.Snapshot.Energy)),
            WriteFile(temporary, CheckpointFiles.Ema, s => TensorFile.Write(s, content.Snapshot.Ema)),
            WriteFile(temporary, CheckpointFiles.Optimizer, s => TensorFile.Write(s, content.Snapshot.Optimizer)),
            WriteFile(temporary, CheckpointFiles.State, s => JsonSerializer.Serialize(s, content.State, ModelStore.Json)),
        };
        var manifest = new CheckpointManifest
        {
            RunId = content.State.RunId, Step = content.Snapshot.NextStep, WorldSize = content.State.WorldSize,
            CreatedUtc = DateTimeOffset.UtcNow, Files = entries,
        };
        WriteFile(temporary, CheckpointFiles.Manifest, s => JsonSerializer.Serialize(s, manifest, ModelStore.Json));
        DurableFiles.SyncDirectory(temporary);

        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
        DurableFiles.SyncDirectory(Root);
        var latestTemporary = Path.Combine(Root, CheckpointFiles.Latest + CheckpointFiles.TemporarySuffix);
        DurableFiles.WriteSynced(latestTemporary, s => s.Write(System.Text.Encoding.UTF8.GetBytes(name)));
        File.Move(latestTemporary, Path.Combine(Root, CheckpointFiles.Latest), overwrite: true);
        DurableFiles.SyncDirectory(Root);
        Prune();
        return final;
    }

    /// <summary>
    /// The newest checkpoint that verifies (the one <c>latest</c> names first, then by step), with the ones
    /// skipped on the way and why; null when none verifies. <paramref name="runId"/>, when given, must match.
    /// </summary>
    public CheckpointSearch FindLatestValid(string? runId = null)
    {
        var skipped = new List<CheckpointException>();
        foreach (var candidate in Candidates())
        {
            try
            {
                return new CheckpointSearch(CheckpointVerifier.Verify(candidate, runId), skipped);
            }
            catch (CheckpointException e)
            {
                skipped.Add(e);
            }
        }
        return new CheckpointSearch(null, skipped);
    }

    /// <summary>
    /// Every checkpoint that verifies, oldest first (by step), and the ones that did not, with the reason: the run's
    /// history as far as the kept checkpoints reach.
    /// </summary>
    public (IReadOnlyList<VerifiedCheckpoint> Valid, IReadOnlyList<CheckpointException> Skipped) ListVerified(string? runId = null)
    {
        var valid = new List<VerifiedCheckpoint>();
        var skipped = new List<CheckpointException>();
        foreach (var candidate in Candidates())
        {
            try
            {
                valid.Add(CheckpointVerifier.Verify(candidate, runId));
            }
            catch (CheckpointException e)
            {
                skipped.Add(e);
            }
        }
        return (valid.OrderBy(c => c.State.NextStep).ToList(), skipped);
    }

    /// <summary>Checkpoint directories, newest first: the one <c>latest</c> names, then the others by step.</summary>
    private List<string> Candidates()
    {
        if (!Directory.Exists(Root)) return [];
        var byStep = Directory.EnumerateDirectories(Root)
            .Select(d => (Path: d, Step: CheckpointFiles.StepOf(Path.GetFileName(d))))
            .Where(d => d.Step is not null)
            .OrderByDescending(d => d.Step)
            .Select(d => d.Path)
            .ToList();
        var latestFile = Path.Combine(Root, CheckpointFiles.Latest);
        if (File.Exists(latestFile))
        {
            var named = Path.Combine(Root, File.ReadAllText(latestFile).Trim());
            if (byStep.Remove(named)) byStep.Insert(0, named);
        }
        return byStep;
    }

    private void Prune()
    {
        var steps = Directory.EnumerateDirectories(Root)
            .Select(d => (Path: d, Name: Path.GetFileName(d), Step: CheckpointFiles.StepOf(Path.GetFileName(d))))
            .ToList();
        foreach (var old in steps.Where(d => d.Step is not null).OrderByDescending(d => d.Step).Skip(keep))
            Directory.Delete(old.Path, recursive: true);
        // Leftovers of interrupted saves.
        foreach (var partial in steps.Where(d => d.Name.EndsWith(CheckpointFiles.TemporarySuffix, StringComparison.Ordinal)))
            Directory.Delete(partial.Path, recursive: true);
    }

    private static CheckpointFileEntry WriteFile(string directory, string name, Action<Stream> write)
    {
        var path = Path.Combine(directory, name);
        DurableFiles.WriteSynced(path, write);
        using var stream = File.OpenRead(path);
        return new CheckpointFileEntry(name, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

using System.Security.Cryptography;
using System.Text.Json;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// Checks a checkpoint directory before anything is loaded from it: the manifest parses and is of a known
/// format, belongs to the expected run, and every file it lists exists with the listed size and SHA-256.
/// A truncated, corrupted, half-written or foreign checkpoint fails here with the file and the reason.
/// </summary>
public static class CheckpointVerifier
{
    private const long MaxJsonBytes = 16 << 20;

    /// <summary>Verifies <paramref name="directory"/>; <paramref name="runId"/>, when given, must match the manifest's.</summary>
    /// <exception cref="CheckpointException">what is wrong, naming the file.</exception>
    public static VerifiedCheckpoint Verify(string directory, string? runId = null)
    {
        if (!Directory.Exists(directory)) throw new CheckpointException(directory, "no such checkpoint directory");
        var manifestPath = Path.Combine(directory, CheckpointFiles.Manifest);
        var manifest = ReadJson<CheckpointManifest>(manifestPath, "manifest (an interrupted save, or not a checkpoint)");
        if (manifest.Format != CheckpointManifest.CurrentFormat)
            throw new CheckpointException(manifestPath, $"checkpoint format {manifest.Format}; this build reads format {CheckpointManifest.CurrentFormat}");
        if (runId is not null && manifest.RunId != runId)
            throw new CheckpointException(manifestPath, $"belongs to run '{manifest.RunId}', not '{runId}'");
        string[] required = [CheckpointFiles.Model, CheckpointFiles.Energy, CheckpointFiles.Ema, CheckpointFiles.Optimizer, CheckpointFiles.State];
        foreach (var name in required)
            if (manifest.Files.All(f => f.Name != name)) throw new CheckpointException(manifestPath, $"does not list {name}");
        foreach (var entry in manifest.Files) VerifyFile(directory, entry);
        var state = ReadJson<CheckpointState>(Path.Combine(directory, CheckpointFiles.State), "state");
        if (state.NextStep != manifest.Step) throw new CheckpointException(Path.Combine(directory, CheckpointFiles.State), $"step {state.NextStep} differs from the manifest's {manifest.Step}");
        return new VerifiedCheckpoint(directory, manifest, state);
    }

    private static void VerifyFile(string directory, CheckpointFileEntry entry)
    {
        if (entry.Name is null || entry.Sha256 is null)
            throw new CheckpointException(Path.Combine(directory, CheckpointFiles.Manifest), "lists a file without a name or hash");
        if (entry.Name.Contains('/') || entry.Name.Contains('\\') || entry.Name is "." or "..")
            throw new CheckpointException(Path.Combine(directory, CheckpointFiles.Manifest), $"lists a file outside the checkpoint: '{entry.Name}'");
        var path = Path.Combine(directory, entry.Name);
        if (!File.Exists(path)) throw new CheckpointException(path, "missing");
        using var stream = File.OpenRead(path);
        if (stream.Length != entry.Size) throw new CheckpointException(path, $"{stream.Length} bytes, the manifest says {entry.Size} (truncated or replaced)");
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (hash != entry.Sha256) throw new CheckpointException(path, $"SHA-256 {hash[..12]}… does not match the manifest's {entry.Sha256[..Math.Min(12, entry.Sha256.Length)]}… (corrupted)");
    }

    private static T ReadJson<T>(string path, string what)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, $"missing {what}");
        var length = new FileInfo(path).Length;
        if (length > MaxJsonBytes) throw new CheckpointException(path, $"{length} bytes is too large for a {what}");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), ModelStore.Json) ?? throw new CheckpointException(path, $"empty {what}");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"unreadable {what}: {e.Message}");
        }
    }
}

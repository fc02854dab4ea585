using System.Text.Json;
using System.Text.Json.Serialization;
using RLDistributed.Core.Diffusion;
using RLDistributed.Core.Energy;
using RLDistributed.Core.Models;
using static TorchSharp.torch;

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// Saves and loads a trained model sequence: model.json, the network (energy.bin) and its EMA (ema.bin), the
/// weights in the project's <see cref="TensorFile"/> format (format 2; format 1 held TorchSharp's own format and
/// is still read). Files are written under temporary names and renamed, so an interrupted save leaves the old
/// model intact. A checkpoint directory holds the same three files, so it loads here too.
/// </summary>
public static class ModelStore
{
    /// <summary>Manifest file name.</summary>
    public const string ManifestFile = "model.json";

    /// <summary>Raw network weights file name.</summary>
    public const string EnergyFile = "energy.bin";

    /// <summary>EMA network weights file name.</summary>
    public const string EmaFile = "ema.bin";

    /// <summary>JSON settings shared by writers and readers (camelCase, enums as strings).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the model to <paramref name="directory"/> (created if needed).</summary>
    public static void Save(string directory, ModelManifest manifest, EnergyNetwork energy, EnergyNetwork ema)
    {
        Directory.CreateDirectory(directory);
        var energyState = TensorRecords.Capture(energy.state_dict().Select(kv => (kv.Key, kv.Value)));
        var emaState = TensorRecords.Capture(ema.state_dict().Select(kv => (kv.Key, kv.Value)));
        WriteAtomically(Path.Combine(directory, EnergyFile), path => WriteTensors(path, energyState));
        WriteAtomically(Path.Combine(directory, EmaFile), path => WriteTensors(path, emaState));
        WriteAtomically(Path.Combine(directory, ManifestFile), path => File.WriteAllText(path, JsonSerializer.Serialize(manifest with { Format = ModelManifest.CurrentFormat }, Json)));
    }

    /// <summary>Reads a model saved by <see cref="Save"/>, onto <paramref name="device"/>.</summary>
    /// <exception cref="ModelStoreException">the directory, a file, or the manifest is missing or unreadable.</exception>
    public static LoadedModel Load(string directory, Device device)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!Directory.Exists(directory)) throw new ModelStoreException(directory, "no such directory");
        if (!File.Exists(manifestPath)) throw new ModelStoreException(manifestPath, "missing: not a model directory");
        ModelManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), Json)
                ?? throw new ModelStoreException(manifestPath, "empty manifest");
        }
        catch (JsonException e)
        {
            throw new ModelStoreException(manifestPath, $"unreadable manifest: {e.Message}");
        }
        if (manifest.Format > ModelManifest.CurrentFormat)
            throw new ModelStoreException(manifestPath, $"format {manifest.Format} is newer than this build reads ({ModelManifest.CurrentFormat})");

        if (manifest.Format < 1) throw new ModelStoreException(manifestPath, $"unknown format {manifest.Format}");
        var energy = LoadNetwork(manifest, Path.Combine(directory, EnergyFile), device);
        EnergyNetwork ema;
        try
        {
            ema = LoadNetwork(manifest, Path.Combine(directory, EmaFile), device);
        }
        catch
        {
            energy.Dispose();
            throw;
        }
        var schedule = DiffusionSchedule.Create(manifest.Training.Levels, manifest.Training.StepSizeBSquared);
        return new LoadedModel(manifest, schedule, energy, ema);
    }

    private static EnergyNetwork LoadNetwork(ModelManifest manifest, string path, Device device)
    {
        if (!File.Exists(path)) throw new ModelStoreException(path, "missing weights file");
        var network = EnergyModelFactory.Create(manifest.Model, seed: 0, device);
        try
        {
            if (manifest.Format == 1) network.load(path, strict: true);
            else TensorRecords.Restore(network.state_dict(), TensorFile.Read(path), path);
        }
        catch (CheckpointException e)
        {
            network.Dispose();
            throw new ModelStoreException(e.FilePath, e.Problem);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            network.Dispose();
            throw new ModelStoreException(path, $"weights do not match the manifest's network: {e.Message}");
        }
        return network;
    }

    private static void WriteTensors(string path, IReadOnlyList<TensorRecord> records)
    {
        using var stream = File.Create(path);
        TensorFile.Write(stream, records);
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}

using System.Security.Cryptography;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Models;
using RLDistributed.Core.Presets;
using RLDistributed.Core.Tests.Training;
using RLDistributed.Core.Training;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.Checkpoints;

/// <summary>Checkpoints on real files: exact resume, verification, fallback past damaged ones, pruning.</summary>
public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rld-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resume_FromACheckpointMidRun_EndsBitwiseEqualToTheUninterruptedRun()
    {
        var uninterrupted = Train(steps: 6, stopAt: null);
        var store = new CheckpointStore(_root);
        Train(steps: 6, stopAt: 3, store);
        var found = store.FindLatestValid("run-x").Found;
        Assert.NotNull(found);
        Assert.Equal(3, found.State.NextStep);
        Assert.Equal(3, found.State.AdamIterations);

        var resumed = Train(steps: 6, stopAt: null, resumeFrom: found);
        Assert.Equal(uninterrupted, resumed);
    }

    [Fact]
    public void Save_WritesManifestWithSizesAndHashes_LatestNamesIt_AndOnlyTheNewestAreKept()
    {
        var store = new CheckpointStore(_root, keep: 2);
        Train(steps: 4, stopAt: 4, store, every: 1);
        Assert.Equal(["step-000000003", "step-000000004"], Directory.GetDirectories(_root).Select(Path.GetFileName).Order());
        Assert.Equal("step-000000004", File.ReadAllText(Path.Combine(_root, CheckpointFiles.Latest)));
        var verified = CheckpointVerifier.Verify(Path.Combine(_root, "step-000000004"), "run-x");
        foreach (var entry in verified.Manifest.Files)
        {
            var path = Path.Combine(verified.Directory, entry.Name);
            Assert.Equal(new FileInfo(path).Length, entry.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), entry.Sha256);
        }
        Assert.Equal(5, verified.Manifest.Files.Count);
        Assert.Equal(1, verified.State.WorldSize);
        // The checkpoint is also a model directory.
        using var model = ModelStore.Load(verified.Directory, CPU);
        Assert.Equal(4, model.Manifest.Step);
    }

    [Theory]
    [InlineData("corrupt", "SHA-256")]
    [InlineData("truncate", "truncated or replaced")]
    [InlineData("no-manifest", "missing manifest")]
    [InlineData("foreign", "belongs to run 'someone-else'")]
    public void DamagedNewestCheckpoint_IsSkippedWithTheReason_AndTheOneBeforeIsUsed(string damage, string reason)
    {
        var store = new CheckpointStore(_root, keep: 3);
        Train(steps: 2, stopAt: 2, store, every: 1);
        var newest = Path.Combine(_root, "step-000000002");
        switch (damage)
        {
            case "corrupt":
                var bytes = File.ReadAllBytes(Path.Combine(newest, CheckpointFiles.Energy));
                bytes[^3] ^= 0x40;
                File.WriteAllBytes(Path.Combine(newest, CheckpointFiles.Energy), bytes);
                break;
            case "truncate":
                using (var stream = File.Open(Path.Combine(newest, CheckpointFiles.Optimizer), FileMode.Open)) stream.SetLength(stream.Length / 2);
                break;
            case "no-manifest":
                File.Delete(Path.Combine(newest, CheckpointFiles.Manifest));
                break;
            case "foreign":
                var manifest = File.ReadAllText(Path.Combine(newest, CheckpointFiles.Manifest)).Replace("\"run-x\"", "\"someone-else\"", StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(newest, CheckpointFiles.Manifest), manifest);
                break;
        }

        var search = store.FindLatestValid("run-x");

        Assert.Equal(Path.Combine(_root, "step-000000001"), search.Found?.Directory);
        var skipped = Assert.Single(search.Skipped);
        Assert.StartsWith(newest, skipped.FilePath, StringComparison.Ordinal);
        Assert.Contains(reason, skipped.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ListVerified_GivesEveryValidCheckpointOldestFirst_AndTheDamagedOnesWithTheirReason()
    {
        var store = new CheckpointStore(_root, keep: 5);
        Train(steps: 3, stopAt: 3, store, every: 1);
        var middle = Path.Combine(_root, "step-000000002");
        File.Delete(Path.Combine(middle, CheckpointFiles.Manifest));

        var (valid, skipped) = store.ListVerified("run-x");

        Assert.Equal([1L, 3L], valid.Select(c => c.State.NextStep));
        Assert.Equal([Path.Combine(_root, "step-000000001"), Path.Combine(_root, "step-000000003")], valid.Select(c => c.Directory));
        var bad = Assert.Single(skipped);
        Assert.StartsWith(middle, bad.FilePath, StringComparison.Ordinal);
        Assert.Contains("missing manifest", bad.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InterruptedSave_LeavesATemporaryDirectory_ThatIsNeverChosen_AndIsRemovedByTheNextSave()
    {
        var store = new CheckpointStore(_root);
        Train(steps: 1, stopAt: 1, store, every: 1);
        var partial = Directory.CreateDirectory(Path.Combine(_root, "step-000000002" + CheckpointFiles.TemporarySuffix)).FullName;
        File.WriteAllText(Path.Combine(partial, CheckpointFiles.Energy), "half");
        Assert.Equal(Path.Combine(_root, "step-000000001"), store.FindLatestValid().Found?.Directory);
        Train(steps: 1, stopAt: 1, store, every: 1);
        Assert.False(Directory.Exists(partial));
    }

    private static readonly RunSpec Spec = new()
    {
        Preset = TrainingPresets.Get("toy2d") with { Model = TrainingHarness.TinyMlp, Training = TrainingHarness.TinyOptions(5) with { Steps = 6 } },
    };

    /// <summary>Trains from a fresh trainer (or <paramref name="resumeFrom"/>) to <paramref name="steps"/>, saving when due; returns every state tensor's bytes.</summary>
    private static byte[][] Train(int steps, int? stopAt, CheckpointStore? store = null, int? every = null, VerifiedCheckpoint? resumeFrom = null)
    {
        using var scope = NewDisposeScope();
        var data = ToyDatasets.Create("8gaussians", 512, 3);
        var options = TrainingHarness.TinyOptions(5) with { Steps = steps };
        using var energy = EnergyModelFactory.Create(TrainingHarness.TinyMlp, 5, CPU);
        using var ema = EnergyModelFactory.Create(TrainingHarness.TinyMlp, 5, CPU);
        using var trainer = new Trainer(energy, ema, data, options, CPU);
        var start = 0L;
        if (resumeFrom is not null)
        {
            resumeFrom.ReadSnapshot().RestoreInto(trainer, resumeFrom.Directory);
            start = resumeFrom.State.NextStep;
        }
        var writer = store is null ? null : new BackgroundCheckpointWriter(store);
        for (var step = start; step < (stopAt ?? steps); step++)
        {
            trainer.TrainStep(step);
            if (writer is not null && (step + 1 == stopAt || (every is { } n && (step + 1) % n == 0)))
                writer.Save(() => CheckpointContents.Capture(trainer, step + 1, "run-x", 1, Spec, data));
        }
        writer?.Flush();
        return energy.state_dict().Values.Concat(ema.state_dict().Values)
            .Concat(trainer.Update.Optimizer.FirstMoments).Concat(trainer.Update.Optimizer.SecondMoments)
            .Select(t => t.bytes.ToArray()).ToArray();
    }
}

namespace RLDistributed.Core.Checkpoints;

/// <summary>
/// A <see cref="TrainingSnapshot"/> as one tensor file in memory, for the state broadcast to a worker that
/// joins or falls behind: "energy/…", "ema/…" and "optimizer/…" tensors, plus the step and Adam's iteration
/// count as two int64 scalars. Parsing goes through the same checked reader as files on disk.
/// </summary>
public static class SnapshotBlob
{
    private const string Energy = "energy/", Ema = "ema/", Optimizer = "optimizer/", NextStep = "meta/next_step", AdamIterations = "meta/adam_iterations";

    /// <summary>Serialises <paramref name="snapshot"/>.</summary>
    public static byte[] Pack(TrainingSnapshot snapshot)
    {
        var records = new List<TensorRecord> { Scalar(NextStep, snapshot.NextStep), Scalar(AdamIterations, snapshot.AdamIterations) };
        records.AddRange(snapshot.Energy.Select(r => r with { Name = Energy + r.Name }));
        records.AddRange(snapshot.Ema.Select(r => r with { Name = Ema + r.Name }));
        records.AddRange(snapshot.Optimizer.Select(r => r with { Name = Optimizer + r.Name }));
        using var stream = new MemoryStream();
        TensorFile.Write(stream, records);
        return stream.ToArray();
    }

    /// <summary>Parses a blob from <paramref name="source"/> (named in errors).</summary>
    public static TrainingSnapshot Unpack(byte[] blob, string source)
    {
        using var stream = new MemoryStream(blob, writable: false);
        var records = TensorFile.Read(stream, source);
        long ScalarOf(string name) =>
            records.SingleOrDefault(r => r.Name == name) is { Element: TensorElement.Int64, Data.Length: 8 } r
                ? BitConverter.ToInt64(r.Data)
                : throw new CheckpointException(source, $"missing {name}");
        List<TensorRecord> Part(string prefix) =>
            [.. records.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r with { Name = r.Name[prefix.Length..] })];
        return new TrainingSnapshot(ScalarOf(NextStep), ScalarOf(AdamIterations), Part(Energy), Part(Ema), Part(Optimizer));
    }

    private static TensorRecord Scalar(string name, long value) => new(name, TensorElement.Int64, [], BitConverter.GetBytes(value));
}

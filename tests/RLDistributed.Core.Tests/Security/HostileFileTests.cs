using System.Buffers.Binary;
using System.Text;
using RLDistributed.Core.Checkpoints;
using RLDistributed.Core.Data;
using RLDistributed.Core.Tests.Data;

namespace RLDistributed.Core.Tests.Security;

/// <summary>
/// Crafted data and checkpoint files (truncated, huge declared sizes, overflowing shapes, wrong hashes) are
/// refused with an error that names the file, and without allocating what they declare: the bytes allocated
/// by the failed read are measured on this thread.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    /// <summary>What a refused read may allocate: buffers, the exception and its message, nowhere near the declared sizes.</summary>
    private const long AllocationBudget = 1 << 20;

    private readonly string _directory = Directory.CreateTempSubdirectory("rld-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string> HostileIdxImages => ["truncated", "huge count", "huge sides", "gzip declaring a gigabyte", "padded beyond an array"];

    [Theory]
    [MemberData(nameof(HostileIdxImages))]
    public void IdxImages_Hostile_RefusedNamingTheFile_WithoutLargeAllocation(string kind)
    {
        var path = Path.Combine(_directory, kind.Replace(' ', '-') + ".idx");
        File.WriteAllBytes(path, kind switch
        {
            "truncated" => DataFileWriter.IdxImages(100, 28, 28, (_, _, _) => 1)[..5000],
            "huge count" => IdxHeader(uint.MaxValue, 28, 28),
            "huge sides" => IdxHeader(10, 60_000, 60_000),
            "gzip declaring a gigabyte" => DataFileWriter.Gzip(IdxHeader(1_000_000, 32, 32)),
            _ => [.. IdxHeader(2_200_000, 1, 1), .. new byte[2_200_000]],
        });

        var (error, allocated) = Measure(() => IdxReader.ReadImages(path, padTo32: true));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"{kind}: the refused read allocated {allocated:N0} bytes");
    }

    [Fact]
    public void IdxLabels_DeclaringFourBillion_RefusedWithoutLargeAllocation()
    {
        var path = Path.Combine(_directory, "labels.idx");
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, IdxReader.LabelsMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), uint.MaxValue);
        File.WriteAllBytes(path, header);

        var (error, allocated) = Measure(() => IdxReader.ReadLabels(path));

        Assert.StartsWith(path + ": header declares", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Cifar_PartialRecord_RefusedNamingTheFile_WithoutReadingIt()
    {
        var path = Path.Combine(_directory, "data_batch_1.bin");
        File.WriteAllBytes(path, new byte[(3073 * 300) + 17]);

        var (error, allocated) = Measure(() => CifarReader.ReadFiles([path]));

        Assert.Contains($"{path}: length", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"allocated {allocated:N0} bytes");
    }

    public static TheoryData<string> HostileTensorFiles => ["tensor of a terabyte", "shape overflowing 64 bits", "a billion tensors", "name of 60000 bytes"];

    [Theory]
    [MemberData(nameof(HostileTensorFiles))]
    public void TensorFile_Hostile_RefusedNamingTheFile_WithoutLargeAllocation(string kind)
    {
        var path = Path.Combine(_directory, "energy.bin");
        File.WriteAllBytes(path, kind switch
        {
            "tensor of a terabyte" => TensorHeader(1, "w", rank: 2, 1L << 20, 1L << 18),
            "shape overflowing 64 bits" => TensorHeader(1, "w", rank: 3, 1L << 40, 1L << 40, 1L << 40),
            "a billion tensors" => TensorHeader(1_000_000_000, "w", rank: 1, 4),
            _ => TensorHeader(1, new string('n', 60_000), rank: 1, 4),
        });

        var (error, allocated) = Measure(() => TensorFile.Read(path));

        Assert.IsType<CheckpointException>(error);
        Assert.Equal(path, ((CheckpointException)error).FilePath);
        Assert.True(allocated < AllocationBudget, $"{kind}: the refused read allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Checkpoint_FileWithAnotherHash_RefusedNamingTheFile()
    {
        var checkpoint = Directory.CreateDirectory(Path.Combine(_directory, "step-000000001")).FullName;
        var energy = Path.Combine(checkpoint, "energy.bin");
        File.WriteAllBytes(energy, new byte[4096]);
        var manifest = new CheckpointManifest
        {
            RunId = "run-x", Step = 1, WorldSize = 1, CreatedUtc = DateTimeOffset.UnixEpoch,
            // energy.bin first: it is verified first, and its bytes do not have the listed hash.
            Files = [new CheckpointFileEntry(CheckpointFiles.Energy, 4096, new string('0', 64)),
                .. new[] { CheckpointFiles.Model, CheckpointFiles.Ema, CheckpointFiles.Optimizer, CheckpointFiles.State }.Select(n => new CheckpointFileEntry(n, 1, new string('0', 64)))],
        };
        File.WriteAllText(Path.Combine(checkpoint, CheckpointFiles.Manifest), System.Text.Json.JsonSerializer.Serialize(manifest, ModelStore.Json));

        var (error, allocated) = Measure(() => CheckpointVerifier.Verify(checkpoint, "run-x"));

        Assert.Equal(energy, Assert.IsType<CheckpointException>(error).FilePath);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"allocated {allocated:N0} bytes");
    }

    private static (Exception Error, long Allocated) Measure(Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            read();
        }
        catch (Exception e) when (e is DataFormatException or CheckpointException)
        {
            error = e;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return (error ?? throw new Xunit.Sdk.XunitException("the hostile file was read without an error"), allocated);
    }

    private static byte[] IdxHeader(uint count, uint rows, uint cols)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(header, IdxReader.ImagesMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), cols);
        return header;
    }

    /// <summary>A tensor file's header and the first record's header, with no data: "RLDT", version, count, name, type, rank, shape.</summary>
    private static byte[] TensorHeader(int count, string name, byte rank, params long[] shape)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write("RLDT"u8);
        writer.Write(1u);
        writer.Write(count);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        writer.Write((ushort)nameBytes.Length);
        writer.Write(nameBytes);
        writer.Write((byte)TensorElement.Float32);
        writer.Write(rank);
        foreach (var dimension in shape) writer.Write(dimension);
        writer.Flush();
        return stream.ToArray();
    }
}

using System.Text;
using RLDistributed.Core.Checkpoints;

namespace RLDistributed.Core.Tests.Checkpoints;

/// <summary>The tensor file reader refuses damaged and hostile files before allocating what they declare.</summary>
public sealed class TensorFileTests
{
    private static readonly TensorRecord[] Records =
    [
        new("a.weight", TensorElement.Float32, [2, 3], Enumerable.Range(0, 24).Select(i => (byte)i).ToArray()),
        new("b.count", TensorElement.Int64, [], BitConverter.GetBytes(42L)),
    ];

    [Fact]
    public void RoundTrip_KeepsNamesShapesTypesAndBytes()
    {
        var read = TensorFile.Read(new MemoryStream(Write(Records)), "x.bin");
        Assert.Equal(Records.Length, read.Count);
        for (var i = 0; i < Records.Length; i++)
        {
            Assert.Equal(Records[i].Name, read[i].Name);
            Assert.Equal(Records[i].Element, read[i].Element);
            Assert.Equal(Records[i].Shape, read[i].Shape);
            Assert.Equal(Records[i].Data, read[i].Data);
        }
    }

    [Fact]
    public void EveryTruncation_IsRefusedNamingTheFile()
    {
        var bytes = Write(Records);
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<CheckpointException>(() => TensorFile.Read(new MemoryStream(bytes[..length]), "cut.bin"));
            Assert.Equal("cut.bin", error.FilePath);
        }
    }

    [Fact]
    public void HugeDeclaredShape_IsRefusedWithoutAllocatingIt()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("RLDT"u8);
            writer.Write(1u);
            writer.Write(1);
            writer.Write((ushort)1);
            writer.Write((byte)'w');
            writer.Write((byte)TensorElement.Float32);
            writer.Write((byte)2);
            writer.Write(1L << 20);
            writer.Write(1L << 20); // 4 TiB declared, 0 bytes present
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<CheckpointException>(() => TensorFile.Read(new MemoryStream(stream.ToArray()), "huge.bin"));
        Assert.Contains("declares 4398046511104 bytes but only 0 remain", error.Problem, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the reader allocated what the file declared");
    }

    [Fact]
    public void WrongMagic_UnknownElementType_AndTrailingBytes_AreRefused()
    {
        var bytes = Write(Records);
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Contains("bad magic", Assert.Throws<CheckpointException>(() => TensorFile.Read(new MemoryStream(wrongMagic), "m.bin")).Problem, StringComparison.Ordinal);
        var badType = (byte[])bytes.Clone();
        badType[4 + 4 + 4 + 2 + "a.weight".Length] = 9;
        Assert.Contains("unknown element type 9", Assert.Throws<CheckpointException>(() => TensorFile.Read(new MemoryStream(badType), "t.bin")).Problem, StringComparison.Ordinal);
        Assert.Contains("after the last tensor", Assert.Throws<CheckpointException>(() => TensorFile.Read(new MemoryStream([.. bytes, 0]), "e.bin")).Problem, StringComparison.Ordinal);
    }

    private static byte[] Write(IReadOnlyList<TensorRecord> records)
    {
        using var stream = new MemoryStream();
        TensorFile.Write(stream, records);
        return stream.ToArray();
    }
}

using RLDistributed.Core.PyTorchFiles;
using RLDistributed.Core.Tests.Evaluation;
using static TorchSharp.torch;

namespace RLDistributed.Core.Tests.PyTorchFiles;

/// <summary>State dicts written by PyTorch itself (tests/peers/fid_inception_reference.py) in both torch.save formats, and files to refuse.</summary>
[Collection(FidInceptionReferenceCollection.Name)]
public sealed class StateDictFileTests(FidInceptionReference reference) : IDisposable
{
    /// <summary>What a refused read may allocate: the file's few hundred bytes, buffers, the exception, nowhere near a gigabyte.</summary>
    private const long AllocationBudget = 1 << 20;

    private readonly string _directory = Directory.CreateTempSubdirectory("rld-state-dict-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool NotBatchCounter(string key) => !key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    [Fact]
    public void Read_ZipAndLegacyFormats_GiveTheSameTensors()
    {
        using var zip = StateDictFile.Read(reference["weights-zip.pth"], NotBatchCounter);
        using var legacy = StateDictFile.Read(reference["weights-legacy.pth"], NotBatchCounter);

        Assert.Equal(zip.Tensors.Keys, legacy.Tensors.Keys);
        Assert.Equal([32L, 3, 3, 3], legacy.Tensors["Conv2d_1a_3x3.conv.weight"].shape);
        Assert.Equal([1008L, 2048], legacy.Tensors["fc.weight"].shape);
        Assert.Contains("Mixed_7c.branch3x3dbl_3b.bn.running_var", legacy.Tensors.Keys);
        Assert.DoesNotContain(legacy.Tensors.Keys, k => k.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        Assert.All(zip.Tensors, entry => Assert.True(entry.Value.equal(legacy.Tensors[entry.Key]).all().item<bool>(), entry.Key));
    }

    [Theory]
    [InlineData("views-zip.pth")]
    [InlineData("views-legacy.pth")]
    public void Read_ViewsOfOneStorage_TakeTheirOffsetAndStride(string file)
    {
        using var views = StateDictFile.Read(reference[file]);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), views.Tensors["whole"].data<float>().ToArray());
        Assert.Equal([4L, 3], views.Tensors["transposed"].shape);
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], views.Tensors["transposed"].data<float>().ToArray());
        Assert.Equal([2f, 3, 4], views.Tensors["slice"].data<float>().ToArray());
    }

    [Theory]
    [InlineData("weights-zip.pth")]
    [InlineData("weights-legacy.pth")]
    public void Read_TruncatedFile_RefusedNamingTheFile(string file)
    {
        var path = Path.Combine(_directory, file);
        var bytes = File.ReadAllBytes(reference[file]);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<PyTorchFileException>(() => StateDictFile.Read(path, NotBatchCounter));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Int64Tensor_RefusedNamingTheEntryAndItsType()
    {
        var path = reference["refused-int64.pth"];

        var error = Assert.Throws<PyTorchFileException>(() => StateDictFile.Read(path));

        Assert.Equal($"{path}: w is stored as LongStorage; only float32 tensors (FloatStorage) are read", error.Message);
    }

    [Theory]
    [InlineData("refused-oversized-zip.pth")]
    [InlineData("refused-oversized-legacy.pth")]
    public void Read_StorageDeclaringAGigabyteItDoesNotHold_RefusedWithoutAllocatingIt(string file)
    {
        var path = reference[file];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<PyTorchFileException>(() => StateDictFile.Read(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(path, error.FilePath);
        Assert.Contains("storage 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("268435456 elements", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"the refused read allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("not a pickle at all", "neither of torch.save's formats")]
    [InlineData("", "neither of torch.save's formats")]
    [InlineData("\u0080\u0002K\u0001.", "not a torch.save file")]
    public void Read_OtherFiles_RefusedSayingWhy(string content, string reason)
    {
        var path = Path.Combine(_directory, "other.pth");
        File.WriteAllBytes(path, content.Select(c => (byte)c).ToArray());

        var error = Assert.Throws<PyTorchFileException>(() => StateDictFile.Read(path));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Read_MissingFile_RefusedNamingIt()
    {
        var path = Path.Combine(_directory, "absent.pth");

        var error = Assert.Throws<PyTorchFileException>(() => StateDictFile.Read(path));

        Assert.Equal(path, error.FilePath);
    }
}

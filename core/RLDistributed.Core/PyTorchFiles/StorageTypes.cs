namespace RLDistributed.Core.PyTorchFiles;

/// <summary>The storage classes a torch.save pickle names (<c>torch.FloatStorage</c>, …) and their element sizes.</summary>
internal static class StorageTypes
{
    /// <summary>float32, the only type this reader turns into tensors.</summary>
    public const string Float32 = "FloatStorage";

    /// <summary>Bytes per element of <paramref name="storageType"/>; null for a class PyTorch does not save.</summary>
    public static int? ElementSize(string storageType) => storageType switch
    {
        "BoolStorage" or "ByteStorage" or "CharStorage" or "QInt8Storage" or "QUInt8Storage" or "QUInt4x2Storage" or "QUInt2x4Storage" => 1,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        Float32 or "IntStorage" or "QInt32Storage" => 4,
        "DoubleStorage" or "LongStorage" or "ComplexFloatStorage" => 8,
        "ComplexDoubleStorage" => 16,
        _ => null,
    };
}

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// A storage as a torch.save pickle names it in its persistent id <c>('storage', torch.FloatStorage, key, location,
/// numel)</c>: the tensor data lives outside the pickle, under <paramref name="Key"/>.
/// </summary>
/// <param name="Key">The storage's key: its file name in the zip format, its place in the legacy format's key list.</param>
/// <param name="StorageType">The storage class without its module, e.g. "FloatStorage".</param>
/// <param name="ElementCount">Elements the storage holds, as the pickle declares.</param>
internal sealed record StorageReference(string Key, string StorageType, long ElementCount);

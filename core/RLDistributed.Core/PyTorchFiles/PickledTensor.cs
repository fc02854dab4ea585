namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...)</c> describes it: a view
/// of <paramref name="Storage"/>. Nothing is read until the storages are.
/// </summary>
internal sealed record PickledTensor(StorageReference Storage, long Offset, long[] Shape, long[] Stride);

using Razorvine.Pickle;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>
/// Builds <c>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[,
/// metadata])</c> and the older <c>_rebuild_tensor(storage, storage_offset, size, stride)</c> as a
/// <see cref="PickledTensor"/>: the view is checked when its storage is read, the rest concerns autograd only.
/// </summary>
internal sealed class TensorRebuildConstructor : IObjectConstructor
{
    /// <inheritdoc />
    public object construct(object[] args)
    {
        if (args.Length < 4) throw new InvalidDataException($"a tensor rebuilt from {args.Length} arguments; expected storage, offset, size and stride");
        var storage = args[0] as StorageReference
            ?? throw new InvalidDataException($"a tensor whose storage is {PickleValues.Describe(args[0])}, not a persistent storage");
        var shape = PickleValues.Integers(args[2], "a tensor's size");
        var stride = PickleValues.Integers(args[3], "a tensor's stride");
        return new PickledTensor(storage, PickleValues.Integer(args[1], "a tensor's storage offset"), shape, stride);
    }
}

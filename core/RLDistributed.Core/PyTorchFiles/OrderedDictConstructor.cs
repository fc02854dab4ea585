using Razorvine.Pickle;

namespace RLDistributed.Core.PyTorchFiles;

/// <summary>Builds <c>collections.OrderedDict()</c>: an empty dictionary that the pickle's items then fill.</summary>
internal sealed class OrderedDictConstructor : IObjectConstructor
{
    /// <inheritdoc />
    public object construct(object[] args) => args.Length == 0
        ? new PickledOrderedDict()
        : throw new InvalidDataException($"collections.OrderedDict called with {args.Length} arguments; a state dict is built empty and then filled");
}
